package dev.courier.producer;

import java.util.Map;

/**
 * Told what the engine decides as it decides it: connections made, lost and refused, retries, epoch bumps,
 * batches completed and split. Set with {@code event.listeners} (class names, classes or instances, like
 * {@code interceptor.classes}); every method does nothing by default, so a listener overrides only what it
 * wants. Without a listener the engine creates no event.
 *
 * <p>Calls come from the producer's network thread, one at a time: a listener must be quick and must not
 * block or call the producer (record what it needs and return). An exception it throws is caught and logged
 * (at most once a minute per listener) and never reaches delivery. Events carry no secrets.
 */
public interface ProducerEventListener extends AutoCloseable {

    /** Receives the producer's configuration once, before first use, when the producer created the listener. */
    default void configure(Map<String, ?> configs) {
    }

    /** A connection to a broker is ready for requests (connected, and authenticated where required). */
    default void onConnected(Connection connection) {
    }

    /** A ready connection to a broker was lost or closed (idle, timed out, broker gone). */
    default void onDisconnected(Connection connection) {
    }

    /**
     * A connection attempt ended before the connection was ready: refused, unreachable, setup timeout, or
     * authentication failed (then {@link #onAuthenticationFailed} comes too).
     */
    default void onConnectionFailed(Connection connection) {
    }

    /** A broker refused to authenticate the client (TLS or SASL); {@code reason} names no secret. */
    default void onAuthenticationFailed(Connection connection, String reason) {
    }

    /** A batch failed an attempt and goes back to its queue to be sent again. */
    default void onRetry(Retry retry) {
    }

    /** The idempotent producer bumped its epoch (its sequence numbers restart at 0). */
    default void onEpochBump(EpochBump bump) {
    }

    /** A batch ended: acknowledged, or failed for good. */
    default void onBatchCompleted(BatchCompleted batch) {
    }

    /** The broker refused a batch as too large and its records moved to smaller batches. */
    default void onBatchSplit(BatchSplit split) {
    }

    @Override
    default void close() {
    }

    /** @param nodeId the broker's id (negative for a bootstrap address); @param address host:port */
    record Connection(int nodeId, String address) {
    }

    /**
     * @param attempt   the attempt that failed (1 for the first)
     * @param error     the broker's error code name, e.g. {@code NOT_LEADER_OR_FOLLOWER}
     * @param backoffMs how long the batch waits before its next attempt
     */
    record Retry(TopicPartition topicPartition, int recordCount, int attempt, String error, long backoffMs) {
    }

    /**
     * @param newEpoch -1 when the epochs ran out and a new producer id is asked for instead
     * @param reason   why the sequence numbers had to restart
     */
    record EpochBump(long producerId, short oldEpoch, short newEpoch, String reason) {
    }

    /** How a batch ended. */
    enum Outcome { SUCCEEDED, FAILED }

    /**
     * @param bytes    the batch's size on the wire (0 if it was never encoded)
     * @param attempts requests that carried it
     * @param error    the failure, or null when it succeeded
     * @param timings  where its time went, or null unless {@code delivery.timings.enable=true} and it succeeded
     */
    record BatchCompleted(TopicPartition topicPartition, int recordCount, int bytes, int attempts, Outcome outcome,
                          Exception error, DeliveryTimings timings) {
    }

    /** @param parts the batches its records moved to */
    record BatchSplit(TopicPartition topicPartition, int recordCount, int parts) {
    }
}
