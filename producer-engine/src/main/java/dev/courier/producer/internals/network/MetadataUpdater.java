package dev.courier.producer.internals.network;

import dev.courier.producer.internals.metadata.Cluster;
import dev.courier.producer.internals.metadata.Metadata;
import dev.courier.producer.internals.metadata.Node;
import dev.courier.producer.internals.protocol.MetadataRequest;
import dev.courier.producer.internals.protocol.MetadataResponse;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link Metadata} fresh from inside {@link NetworkClient#poll}: when a refresh is due it sends
 * a MetadataRequest for the topics of interest only (never "all topics") to the least loaded node,
 * connecting to one first if needed. When no known node can be reached it falls back to the
 * bootstrap addresses (REBOOTSTRAP). Sender thread only.
 */
final class MetadataUpdater {

    private static final Logger log = LoggerFactory.getLogger(MetadataUpdater.class);

    private final NetworkClient client;
    private final Metadata metadata;
    private final NetworkClientConfig config;
    private boolean fetchInProgress;

    MetadataUpdater(NetworkClient client, Metadata metadata, NetworkClientConfig config) {
        this.client = client;
        this.metadata = metadata;
        this.config = config;
    }

    /** True when a refresh should start now and none is in flight. */
    boolean isUpdateDue(long nowMs) {
        return !fetchInProgress && metadata.timeToNextUpdate(nowMs) == 0;
    }

    boolean hasFetchInProgress() {
        return fetchInProgress;
    }

    /** Starts a refresh if one is due; returns how long the caller may wait before asking again. */
    long maybeUpdate(long nowMs) {
        long timeToNextUpdate = metadata.timeToNextUpdate(nowMs);
        long waitForFetch = fetchInProgress ? config.requestTimeoutMs() : 0;
        long timeout = Math.max(timeToNextUpdate, waitForFetch);
        if (timeout > 0) {
            return timeout;
        }
        Node node = client.leastLoadedNode(nowMs);
        if (node == null) {
            Cluster cluster = metadata.fetch();
            // Busy or connecting nodes are no reason to rebootstrap; only nodes that all failed are.
            if (!cluster.isBootstrapConfigured() && !cluster.nodes().isEmpty()
                    && client.allBlackedOut(cluster.nodes(), nowMs)) {
                log.info("No known broker is reachable; falling back to the bootstrap servers");
                metadata.rebootstrap();
            } else {
                log.debug("No node available for a metadata request");
            }
            return config.reconnectBackoffMs();
        }
        return maybeUpdate(nowMs, node);
    }

    private long maybeUpdate(long nowMs, Node node) {
        String id = node.idString();
        if (client.canSendRequest(id, nowMs)) {
            List<String> topics = List.copyOf(metadata.topicsForRequest(nowMs));
            MetadataRequest request = new MetadataRequest(topics, config.allowAutoTopicCreation());
            log.debug("Requesting metadata for {} from node {}", topics, node);
            fetchInProgress = true;
            client.sendInternal(new ClientRequest(id, request, nowMs, true, config.requestTimeoutMs(), null),
                    InFlightRequests.Kind.METADATA, nowMs);
            return config.requestTimeoutMs();
        }
        if (client.isPreparingConnection(id)) {
            return config.reconnectBackoffMs();
        }
        if (client.canConnect(id, nowMs)) {
            log.debug("Connecting to node {} for a metadata request", node);
            client.initiateConnect(node, nowMs);
            return config.reconnectBackoffMs();
        }
        // Connected but no room for another request: a network event will wake the poll.
        return Long.MAX_VALUE;
    }

    void handleResponse(MetadataResponse response, long nowMs) {
        fetchInProgress = false;
        metadata.update(response, nowMs);
    }

    /** The metadata request failed (disconnect, timeout, no usable version). */
    void handleFailure(long nowMs) {
        fetchInProgress = false;
        metadata.failedUpdate(nowMs);
    }

    /** Any lost connection may mean stale leaders: refresh. */
    void handleServerDisconnect() {
        metadata.requestUpdate();
    }
}
