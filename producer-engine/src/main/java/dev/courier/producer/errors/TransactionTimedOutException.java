package dev.courier.producer.errors;

/**
 * The transaction stayed open longer than {@code transaction.timeout.ms}, so the coordinator aborted it
 * and bumped the producer's epoch: none of its records will be visible to read_committed consumers.
 * Close the producer and create a new one (or raise {@code transaction.timeout.ms} if transactions
 * really take this long).
 */
public class TransactionTimedOutException extends ApplicationRecoverableException {

    public TransactionTimedOutException(String message) {
        super(message);
    }
}
