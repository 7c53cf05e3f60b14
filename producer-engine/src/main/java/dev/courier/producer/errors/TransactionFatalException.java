package dev.courier.producer.errors;

/**
 * The transactional producer met an error retrying cannot cure (not authorized for the transactional
 * id, an invalid transaction timeout, a broker without transaction support): close it and fix the
 * configuration.
 */
public class TransactionFatalException extends TransactionException {

    public TransactionFatalException(String message) {
        super(message);
    }

    public TransactionFatalException(String message, Throwable cause) {
        super(message, cause);
    }
}
