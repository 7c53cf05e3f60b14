package dev.courier.producer.internals.transaction;

import dev.courier.producer.internals.protocol.RequestBody;
import java.util.function.Function;

/**
 * One request for a coordinator, as {@link TransactionManager#nextRequest} hands it to the
 * {@link CoordinatorChannel}: which coordinator (transaction or group, by key), the body, and what to do
 * with the answer.
 */
class CoordinatorRequest {

    /** What the channel does after an answer; declared from the mildest to the most drastic. */
    enum Outcome {
        /** Handled (succeeded, or the manager recorded the failure). */
        DONE,
        /**
         * Ask again after a short backoff: the previous transaction is still completing (CONCURRENT_TRANSACTIONS),
         * which takes the coordinator milliseconds, not the full retry backoff.
         */
        RETRY_SOON,
        /** Ask again after the backoff. */
        RETRY,
        /** The coordinator moved or is gone: look it up again, then ask again. */
        FIND_COORDINATOR;

        /** The more drastic of the two, for an answer with several partitions' errors. */
        Outcome and(Outcome other) {
            return other.ordinal() > ordinal() ? other : this;
        }
    }

    private final byte keyType;
    private final String key;
    private final RequestBody body;
    private final Function<Object, Outcome> handler;
    private final Runnable notDelivered;

    CoordinatorRequest(byte keyType, String key, RequestBody body, Function<Object, Outcome> handler,
                       Runnable notDelivered) {
        this.keyType = keyType;
        this.key = key;
        this.body = body;
        this.handler = handler;
        this.notDelivered = notDelivered;
    }

    /** {@code FindCoordinatorRequest.GROUP} or {@code TRANSACTION}. */
    byte keyType() {
        return keyType;
    }

    /** The group id or the transactional id. */
    String key() {
        return key;
    }

    RequestBody body() {
        return body;
    }

    /**
     * An optional request (an optimisation): a broker that cannot take it is no failure of the transaction, and
     * {@link #notDelivered()} is all that follows.
     */
    boolean optional() {
        return false;
    }

    /** The request went out. */
    void sent() {
    }

    Outcome handle(Object response) {
        return handler.apply(response);
    }

    /** No answer (disconnected, timed out): undo what {@link #sent()} recorded. */
    void notDelivered() {
        notDelivered.run();
    }
}
