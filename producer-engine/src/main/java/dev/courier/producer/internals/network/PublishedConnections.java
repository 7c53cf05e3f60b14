package dev.courier.producer.internals.network;

import dev.courier.producer.internals.metadata.Cluster;
import dev.courier.producer.internals.metadata.Metadata;
import java.util.List;

/**
 * The snapshot of {@link NetworkClient}'s connection states that other threads (health checks) read: rebuilt by the
 * sender thread at the end of a poll, only when a connection state or the cluster changed, and replaced, never
 * mutated, so any thread may read it. It covers the nodes of the current metadata only (the brokers, or the
 * bootstrap addresses before the first response and after falling back to them), so a connection of the other
 * kind, left over, is not reported.
 */
final class PublishedConnections {

    private final ConnectionStates connectionStates;
    private final Metadata metadata;
    /** Written by the sender thread, read by any. */
    private volatile List<NodeConnection> published = List.of();
    /** What {@link #published} was built from; sender thread only. */
    private long publishedVersion = -1;
    private Cluster publishedCluster;

    PublishedConnections(ConnectionStates connectionStates, Metadata metadata) {
        this.connectionStates = connectionStates;
        this.metadata = metadata;
    }

    /** The latest snapshot; safe from any thread. */
    List<NodeConnection> get() {
        return published;
    }

    /** Rebuilds the snapshot when a connection state or the cluster changed since the last one. Sender thread. */
    void update() {
        Cluster cluster = metadata.fetch();
        if (connectionStates.version() == publishedVersion && cluster == publishedCluster) {
            return;
        }
        publishedVersion = connectionStates.version();
        publishedCluster = cluster;
        published = connectionStates.snapshot().stream()
                .filter(connection -> cluster.nodeById(connection.nodeId()) != null).toList();
    }
}
