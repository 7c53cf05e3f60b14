package dev.courier.producer.internals.metadata;

import dev.courier.producer.internals.protocol.MetadataResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds the {@link MetadataResponse} a broker would send for a small cluster, to install with
 * {@link Metadata#update}: brokers 0..n-1 on 127.0.0.1 (port 9092 + id), topics with stable ids, and
 * partition leaders round robin unless set.
 */
public final class TestMetadata {

    private final int brokers;
    private final Map<String, List<MetadataResponse.PartitionMetadata>> topics = new LinkedHashMap<>();

    private TestMetadata(int brokers) {
        this.brokers = brokers;
    }

    /** A cluster of {@code brokers} brokers with ids 0..brokers-1 and no topics yet. */
    public static TestMetadata cluster(int brokers) {
        return new TestMetadata(brokers);
    }

    /** The id every response gives the topic. */
    public static UUID topicId(String topic) {
        return UUID.nameUUIDFromBytes(topic.getBytes(StandardCharsets.UTF_8));
    }

    /** The node a broker of this cluster is. */
    public static Node node(int id) {
        return new Node(id, "127.0.0.1", 9092 + id, null);
    }

    /** Adds a topic whose partition p is led by broker {@code p % brokers}, at leader epoch 0. */
    public TestMetadata topic(String name, int partitions) {
        for (int p = 0; p < partitions; p++) {
            leader(name, p, p % brokers, 0);
        }
        return this;
    }

    /** Sets (or adds) one partition's leader and leader epoch; -1 for no leader. */
    public TestMetadata leader(String topic, int partition, int leaderId, int leaderEpoch) {
        List<MetadataResponse.PartitionMetadata> partitions = topics.computeIfAbsent(topic, t -> new ArrayList<>());
        partitions.removeIf(p -> p.partition() == partition);
        int[] replicas = new int[brokers];
        for (int i = 0; i < brokers; i++) {
            replicas[i] = i;
        }
        partitions.add(new MetadataResponse.PartitionMetadata((short) 0, partition, leaderId, leaderEpoch, replicas,
                replicas, new int[0]));
        partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        return this;
    }

    public MetadataResponse build() {
        List<MetadataResponse.Broker> brokerList = new ArrayList<>();
        for (int id = 0; id < brokers; id++) {
            Node node = node(id);
            brokerList.add(new MetadataResponse.Broker(id, node.host(), node.port(), null));
        }
        List<MetadataResponse.TopicMetadata> topicList = new ArrayList<>();
        topics.forEach((name, partitions) -> topicList.add(
                new MetadataResponse.TopicMetadata((short) 0, name, topicId(name), false, List.copyOf(partitions))));
        return new MetadataResponse(0, brokerList, "test-cluster", 0, topicList, (short) 0);
    }

    /** Installs the cluster as if a metadata response had just arrived. */
    public void applyTo(Metadata metadata, long nowMs) {
        metadata.update(build(), nowMs);
    }
}
