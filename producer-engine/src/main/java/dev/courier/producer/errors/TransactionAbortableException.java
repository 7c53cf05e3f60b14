package dev.courier.producer.errors;

/**
 * The transaction cannot commit (a send failed, the broker answered TRANSACTION_ABORTABLE, the group
 * refused the offsets): abort it with {@code abortTransaction()}, then begin a new one. The cause, if
 * any, is the first error that made the transaction abortable.
 */
public class TransactionAbortableException extends TransactionException {

    public TransactionAbortableException(String message) {
        super(message);
    }

    public TransactionAbortableException(String message, Throwable cause) {
        super(message, cause);
    }
}
