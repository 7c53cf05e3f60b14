package dev.courier.producer.errors;

/**
 * A partition leader refused a transactional write with INVALID_PRODUCER_EPOCH: the producer's epoch is
 * behind the coordinator's, because a newer instance fenced this one or because the coordinator aborted
 * the transaction (it outlived {@code transaction.timeout.ms}) and bumped the epoch. The message says
 * which is likely. Close the producer and create a new one.
 */
public class InvalidProducerEpochException extends ApplicationRecoverableException {

    public InvalidProducerEpochException(String message) {
        super(message);
    }
}
