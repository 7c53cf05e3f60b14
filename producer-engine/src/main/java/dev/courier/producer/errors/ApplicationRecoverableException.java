package dev.courier.producer.errors;

/**
 * This producer can do no more transactional work, but the application can recover: close it and
 * create a new producer with the same {@code transactional.id}; its {@code initTransactions()} aborts
 * whatever this one left open and continues from the last committed transaction.
 */
public class ApplicationRecoverableException extends TransactionException {

    public ApplicationRecoverableException(String message) {
        super(message);
    }

    public ApplicationRecoverableException(String message, Throwable cause) {
        super(message, cause);
    }
}
