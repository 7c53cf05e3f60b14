package dev.courier.producer.errors;

/**
 * The coordinator refused a transaction request as out of order for the transaction's state
 * (INVALID_TXN_STATE), e.g. commit of a transaction it already aborted. Fatal for this producer.
 */
public class InvalidTxnStateException extends TransactionFatalException {

    public InvalidTxnStateException(String message) {
        super(message);
    }
}
