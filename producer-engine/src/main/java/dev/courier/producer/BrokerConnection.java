package dev.courier.producer;

/**
 * The producer's connection to one broker, as its network thread last published it: what a health check needs
 * to tell "the cluster is gone" from "quiet" within seconds, rather than waiting for metadata to go stale.
 *
 * <p>Only brokers the producer has a connection state for appear: one it never needed to contact, or whose
 * idle connection it closed ({@code connections.max.idle.ms}), is absent rather than disconnected.
 *
 * @param nodeId         the broker's id; negative for a bootstrap address before the first metadata
 * @param address        host:port
 * @param state          connected, connecting (including the API version check), or disconnected (waiting out
 *                       the reconnect backoff)
 * @param stateAgeMs     milliseconds since the connection entered {@code state}
 * @param failedAttempts consecutive attempts that failed or connections that were lost since the last one that
 *                       became ready
 */
public record BrokerConnection(int nodeId, String address, State state, long stateAgeMs, int failedAttempts) {

    /** Where a connection stands. */
    public enum State {
        CONNECTED, CONNECTING, DISCONNECTED
    }

    /** Whether the broker is not reachable now: disconnected, or connecting again after a failure. */
    public boolean failing() {
        return state != State.CONNECTED && failedAttempts > 0;
    }
}
