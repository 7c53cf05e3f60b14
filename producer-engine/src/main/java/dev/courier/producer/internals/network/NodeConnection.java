package dev.courier.producer.internals.network;

import dev.courier.producer.BrokerConnection;

/**
 * One node's connection state in the snapshot a {@link KafkaClient} publishes for other threads: immutable,
 * with the monotonic time the state began ({@code sinceMs}) so a reader can tell its age.
 */
public record NodeConnection(int nodeId, String address, BrokerConnection.State state, long sinceMs,
                             int failedAttempts) {

    /** The public view, aged as of {@code nowMs}. */
    public BrokerConnection toBrokerConnection(long nowMs) {
        return new BrokerConnection(nodeId, address, state, Math.max(0, nowMs - sinceMs), failedAttempts);
    }
}
