package dev.courier.producer.internals.network;

import dev.courier.producer.internals.events.EngineEvents;
import dev.courier.producer.internals.metadata.Node;
import java.util.List;

/**
 * What the sender needs from the network: connections to brokers, requests sent and their responses.
 * {@link NetworkClient} is the real one; tests step the sender against a scripted fake instead, so retry,
 * expiry and idempotence logic can be exercised without sockets or a broker.
 *
 * <p>All {@code nowMs} values are monotonic milliseconds. Every method except {@link #wakeup()} belongs
 * to the sender thread. A request's completion handler runs inside {@link #poll}, on that thread.
 */
public interface KafkaClient extends AutoCloseable {

    /**
     * True if a request can be sent to the node now. Otherwise starts connecting when the reconnect
     * backoff allows, and returns false.
     */
    boolean ready(Node node, long nowMs);

    /**
     * Queues a request for its (ready) node. Its handler runs in a later {@link #poll}: with the response,
     * or as disconnected, timed out, or refused for want of a usable API version.
     */
    void send(ClientRequest request, long nowMs);

    /** Does I/O for up to {@code timeoutMs} and runs the handlers of the requests that ended. */
    List<ClientResponse> poll(long timeoutMs, long nowMs);

    /** The node best placed to take a request that any broker can answer, or null if none can now. */
    Node leastLoadedNode(long nowMs);

    /** How long the sender may sleep before this (not ready) node might become ready. */
    long pollDelayMs(Node node, long nowMs);

    /**
     * The finalized level of a cluster feature (e.g. {@code transaction.version}) as the node's ApiVersions
     * answer gave it, or -1 when unknown (not connected, or the broker does not finalize it).
     */
    default short finalizedFeatureLevel(String nodeId, String feature) {
        return -1;
    }

    /**
     * Why the node's last connection failed to authenticate, while no connection to it has authenticated
     * since; null otherwise. Records bound for such a node fail with it instead of waiting for delivery.timeout.ms.
     */
    default RuntimeException authenticationFailure(Node node) {
        return null;
    }

    /** Requests sent and not yet answered, across all nodes. */
    /** Where to report connection events ({@code event.listeners}); called once, before first use. */
    default void events(EngineEvents events) {
    }

    int inFlightRequestCount();

    /**
     * The nodes' connection states as of the sender thread's latest {@link #poll}: an immutable snapshot, safe
     * to read from any thread (health checks read it through the producer's status).
     */
    List<NodeConnection> connections();

    /** Makes a blocked {@link #poll} return soon; safe from any thread. */
    void wakeup();

    /** Closes every connection; requests still in flight are dropped without completion. */
    @Override
    void close();
}
