package dev.courier.producer.internals.metadata;

import dev.courier.producer.PartitionInfo;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Immutable snapshot of what the producer knows of the cluster: brokers, partitions with their
 * leaders and leader epochs, topic ids. Every lookup is a map read, so the snapshot can be shared
 * freely between the caller threads and the sender thread; {@link Metadata} swaps in a new one
 * after each metadata response.
 */
public final class Cluster {

    /** A partition as last described by a metadata response; {@code leaderEpoch} is -1 when unknown. */
    public record PartitionState(PartitionInfo info, int leaderEpoch) {
        public TopicPartition topicPartition() {
            return new TopicPartition(info.topic(), info.partition());
        }
    }

    private static final Cluster EMPTY = new Cluster(null, List.of(), List.of(), Map.of(), null, false);

    private final String clusterId;
    private final List<Node> nodes;
    private final Map<Integer, Node> nodesById;
    private final Node controller;
    private final boolean bootstrapConfigured;
    private final Map<TopicPartition, PartitionState> partitions;
    private final Map<String, List<PartitionInfo>> partitionsByTopic;
    private final Map<String, List<PartitionInfo>> availablePartitionsByTopic;
    private final Map<String, UUID> topicIds;

    private Cluster(String clusterId, Collection<Node> nodes, Collection<PartitionState> partitionStates,
                    Map<String, UUID> topicIds, Node controller, boolean bootstrapConfigured) {
        this.clusterId = clusterId;
        this.nodes = List.copyOf(nodes);
        Map<Integer, Node> byId = new HashMap<>();
        for (Node node : this.nodes) {
            byId.put(node.id(), node);
        }
        this.nodesById = Collections.unmodifiableMap(byId);
        this.controller = controller;
        this.bootstrapConfigured = bootstrapConfigured;

        Map<TopicPartition, PartitionState> byPartition = new HashMap<>();
        Map<String, List<PartitionInfo>> byTopic = new HashMap<>();
        for (PartitionState state : partitionStates) {
            byPartition.put(state.topicPartition(), state);
            byTopic.computeIfAbsent(state.info().topic(), t -> new ArrayList<>()).add(state.info());
        }
        Map<String, List<PartitionInfo>> all = new HashMap<>();
        Map<String, List<PartitionInfo>> available = new HashMap<>();
        for (Map.Entry<String, List<PartitionInfo>> entry : byTopic.entrySet()) {
            List<PartitionInfo> sorted = new ArrayList<>(entry.getValue());
            sorted.sort(Comparator.comparingInt(PartitionInfo::partition));
            all.put(entry.getKey(), List.copyOf(sorted));
            List<PartitionInfo> withLeader = new ArrayList<>(sorted.size());
            for (PartitionInfo info : sorted) {
                if (info.leader() >= 0 && byId.containsKey(info.leader())) {
                    withLeader.add(info);
                }
            }
            available.put(entry.getKey(), List.copyOf(withLeader));
        }
        this.partitions = Collections.unmodifiableMap(byPartition);
        this.partitionsByTopic = Collections.unmodifiableMap(all);
        this.availablePartitionsByTopic = Collections.unmodifiableMap(available);
        this.topicIds = Map.copyOf(topicIds);
    }

    /** Knows nothing: no nodes, no topics. */
    public static Cluster empty() {
        return EMPTY;
    }

    /**
     * Only the bootstrap addresses, as nodes with ids -1, -2, ... (so their connections never clash
     * with real broker ids). Hosts are kept as given; they are resolved when connecting.
     */
    public static Cluster bootstrap(List<InetSocketAddress> addresses) {
        List<Node> nodes = new ArrayList<>(addresses.size());
        int id = -1;
        for (InetSocketAddress address : addresses) {
            nodes.add(new Node(id--, address.getHostString(), address.getPort(), null));
        }
        return new Cluster(null, nodes, List.of(), Map.of(), null, true);
    }

    /** A snapshot built from a metadata response. */
    public static Cluster of(String clusterId, Collection<Node> nodes, Collection<PartitionState> partitions,
                             Map<String, UUID> topicIds, Node controller) {
        return new Cluster(clusterId, nodes, partitions, topicIds, controller, false);
    }

    /**
     * This snapshot with some partitions' states replaced (new leaders a produce response named) and
     * {@code addedNodes} known in addition.
     */
    public Cluster withPartitions(Collection<PartitionState> updated, Collection<Node> addedNodes) {
        Map<TopicPartition, PartitionState> merged = new HashMap<>(partitions);
        for (PartitionState state : updated) {
            merged.put(state.topicPartition(), state);
        }
        List<Node> allNodes = new ArrayList<>(nodes);
        for (Node node : addedNodes) {
            if (!nodesById.containsKey(node.id())) {
                allNodes.add(node);
            }
        }
        return new Cluster(clusterId, allNodes, merged.values(), topicIds, controller, bootstrapConfigured);
    }

    public List<Node> nodes() {
        return nodes;
    }

    /** The broker with this id, or null. */
    public Node nodeById(int id) {
        return nodesById.get(id);
    }

    /** The controller named by the last response, or null. */
    public Node controller() {
        return controller;
    }

    /** The current leader's node, or null when the partition is unknown, leaderless or its leader is not listed. */
    public Node leaderFor(TopicPartition tp) {
        PartitionState state = partitions.get(tp);
        if (state == null || state.info().leader() < 0) {
            return null;
        }
        return nodesById.get(state.info().leader());
    }

    /** The leader epoch from the last response, or -1 when unknown. */
    public int leaderEpochFor(TopicPartition tp) {
        PartitionState state = partitions.get(tp);
        return state == null ? -1 : state.leaderEpoch();
    }

    /** The partition's description, or null when unknown. */
    public PartitionInfo partition(TopicPartition tp) {
        PartitionState state = partitions.get(tp);
        return state == null ? null : state.info();
    }

    /** The partition with its leader epoch, or null when unknown. */
    public PartitionState partitionState(TopicPartition tp) {
        return partitions.get(tp);
    }

    /** Number of partitions (with or without a leader), or null when the topic is unknown. */
    public Integer partitionCountForTopic(String topic) {
        List<PartitionInfo> list = partitionsByTopic.get(topic);
        return list == null ? null : list.size();
    }

    /** All partitions of the topic ordered by index; empty when unknown. Immutable and cached. */
    public List<PartitionInfo> partitionsForTopic(String topic) {
        return partitionsByTopic.getOrDefault(topic, List.of());
    }

    /** The partitions whose leader is known and listed; empty when none. Immutable and cached. */
    public List<PartitionInfo> availablePartitionsForTopic(String topic) {
        return availablePartitionsByTopic.getOrDefault(topic, List.of());
    }

    /** The topic's id (Metadata v10+), or null when unknown. */
    public UUID topicId(String topic) {
        return topicIds.get(topic);
    }

    /** Topics with at least one known partition. */
    public Set<String> topics() {
        return partitionsByTopic.keySet();
    }

    /** True for the snapshot made from bootstrap addresses alone. */
    public boolean isBootstrapConfigured() {
        return bootstrapConfigured;
    }

    /** The cluster id, or null before the first response. */
    public String clusterId() {
        return clusterId;
    }

    @Override
    public String toString() {
        return "Cluster(id = " + clusterId + ", nodes = " + nodes + ", partitions = " + partitions.size()
                + (bootstrapConfigured ? ", bootstrap" : "") + ")";
    }
}
