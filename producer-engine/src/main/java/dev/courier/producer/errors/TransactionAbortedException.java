package dev.courier.producer.errors;

/**
 * The record's transaction was aborted (by {@code abortTransaction()}, or because the producer failed)
 * before the record was sent: it was never written.
 */
public class TransactionAbortedException extends TransactionException {

    public TransactionAbortedException(String message) {
        super(message);
    }
}
