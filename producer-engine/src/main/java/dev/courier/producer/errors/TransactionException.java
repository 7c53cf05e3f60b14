package dev.courier.producer.errors;

/**
 * Base of the errors a transactional producer reports, in the three classes of KIP-1050 that tell the
 * caller what to do next:
 * <ul>
 *   <li>{@link TransactionAbortableException}: the current transaction cannot commit; call
 *       {@code abortTransaction()} and start it again. The producer stays usable.</li>
 *   <li>{@link ApplicationRecoverableException}: this producer can do no more transactional work
 *       (fenced by a newer instance with the same {@code transactional.id}, or its transaction was
 *       aborted by the coordinator); close it and create a new producer, whose
 *       {@code initTransactions()} resumes from the last committed state.</li>
 *   <li>{@link TransactionFatalException}: a configuration or authorization problem; close the
 *       producer, retrying will not help.</li>
 * </ul>
 * Timeouts of the blocking methods are {@link TimeoutException}s instead: the operation continues in
 * the background and calling the same method again resumes waiting for it.
 */
public class TransactionException extends CourierException {

    public TransactionException(String message) {
        super(message);
    }

    public TransactionException(String message, Throwable cause) {
        super(message, cause);
    }
}
