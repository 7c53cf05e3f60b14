package dev.courier.producer.errors;

/**
 * Another producer with the same {@code transactional.id} has called {@code initTransactions()} since
 * this one did (PRODUCER_FENCED, or an older broker's INVALID_PRODUCER_EPOCH from the coordinator): this
 * producer is a zombie. Its open transaction was aborted and is never visible to read_committed consumers.
 * Close it.
 */
public class ProducerFencedException extends ApplicationRecoverableException {

    public ProducerFencedException(String message) {
        super(message);
    }
}
