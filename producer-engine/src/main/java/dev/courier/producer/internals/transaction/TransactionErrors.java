package dev.courier.producer.internals.transaction;

import dev.courier.producer.errors.InvalidProducerEpochException;
import dev.courier.producer.errors.ProducerFencedException;
import dev.courier.producer.errors.TransactionAbortableException;
import dev.courier.producer.errors.TransactionFatalException;
import dev.courier.producer.errors.TransactionTimedOutException;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.protocol.FindCoordinatorRequest;
import dev.courier.producer.internals.transaction.CoordinatorRequest.Outcome;
import java.util.function.Supplier;

/** What a coordinator's error code means for the transaction: retry, abort, or give up (KIP-1050's classes). */
final class TransactionErrors {

    private TransactionErrors() {
    }

    /**
     * Coordinator moved or busy: find it again, or just retry after the backoff (a short one while the previous
     * transaction completes). Null for other errors.
     */
    static Outcome retriable(Errors error) {
        return switch (error) {
            case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE -> Outcome.FIND_COORDINATOR;
            case COORDINATOR_LOAD_IN_PROGRESS -> Outcome.RETRY;
            case CONCURRENT_TRANSACTIONS -> Outcome.RETRY_SOON;
            default -> null;
        };
    }

    /**
     * The exception for an error that retrying cannot cure: a {@link TransactionAbortableException} when
     * aborting the transaction is enough, the {@code fenced} one for a newer epoch, else fatal.
     */
    static RuntimeException failure(String what, Errors error, Supplier<RuntimeException> fenced) {
        return switch (error) {
            case PRODUCER_FENCED, INVALID_PRODUCER_EPOCH -> fenced.get();
            case TRANSACTION_ABORTABLE, TOPIC_AUTHORIZATION_FAILED, GROUP_AUTHORIZATION_FAILED ->
                    new TransactionAbortableException(what + " failed: " + error.exception(null).getMessage());
            default -> new TransactionFatalException(what + " failed: " + error.exception(null).getMessage());
        };
    }

    /**
     * FindCoordinator was refused for good: without the group's coordinator the transaction must abort
     * ({@link TransactionAbortableException}), without the transaction coordinator the producer cannot go on.
     */
    static RuntimeException coordinatorNotFound(byte keyType, Errors error) {
        RuntimeException e = new TransactionFatalException("Cannot find the " + (keyType == FindCoordinatorRequest.GROUP
                ? "group" : "transaction") + " coordinator: " + error.exception(null).getMessage());
        return keyType == FindCoordinatorRequest.GROUP ? new TransactionAbortableException(e.getMessage(), e) : e;
    }

    /**
     * The epoch went past ours: another instance fenced us, or the coordinator aborted a transaction that
     * outlived transaction.timeout.ms (which bumps the epoch too). Which one, the open time tells.
     *
     * @param openMs how long the transaction has been known to the coordinator, or -1 if it is not
     */
    static RuntimeException fenced(String transactionalId, long producerId, short epoch, String what, Errors error,
                                   boolean fromLeader, long openMs, int transactionTimeoutMs) {
        if (openMs >= transactionTimeoutMs) {
            return new TransactionTimedOutException("The transaction of transactional id " + transactionalId
                    + " was open for " + openMs + " ms, longer than transaction.timeout.ms (" + transactionTimeoutMs
                    + "), so the coordinator aborted it; " + what + " failed with " + error
                    + ". Close this producer and create a new one");
        }
        String message = "Producer id " + producerId + " epoch " + epoch + " of transactional id " + transactionalId
                + " has been fenced by a newer producer with the same transactional.id (" + error + " while " + what
                + "); close this producer";
        return fromLeader ? new InvalidProducerEpochException(message) : new ProducerFencedException(message);
    }
}
