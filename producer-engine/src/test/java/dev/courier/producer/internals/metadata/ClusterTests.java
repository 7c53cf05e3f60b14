package dev.courier.producer.internals.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.PartitionInfo;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ClusterTests {

    private static final Node N1 = new Node(1, "h1", 9092, null);
    private static final Node N2 = new Node(2, "h2", 9092, "rack-b");
    private static final UUID ORDERS_ID = new UUID(1, 2);

    private static Cluster.PartitionState partition(String topic, int index, int leader, int epoch) {
        return new Cluster.PartitionState(new PartitionInfo(topic, index, leader, List.of(1, 2), List.of(1)), epoch);
    }

    private final Cluster cluster = Cluster.of("c1", List.of(N1, N2),
            List.of(partition("orders", 2, 2, 7), partition("orders", 0, 1, 5), partition("orders", 1, -1, 3),
                    partition("audit", 0, 9, 1)),
            Map.of("orders", ORDERS_ID), N1);

    @Test
    void bootstrapNodesGetNegativeIdsInTheOrderGiven() {
        Cluster bootstrap = Cluster.bootstrap(List.of(InetSocketAddress.createUnresolved("a", 1),
                InetSocketAddress.createUnresolved("b", 2)));

        assertThat(bootstrap.isBootstrapConfigured()).isTrue();
        assertThat(bootstrap.nodes()).containsExactly(new Node(-1, "a", 1, null), new Node(-2, "b", 2, null));
        assertThat(bootstrap.topics()).isEmpty();
    }

    @Test
    void anEmptyClusterKnowsNothing() {
        Cluster empty = Cluster.empty();

        assertThat(empty.nodes()).isEmpty();
        assertThat(empty.isBootstrapConfigured()).isFalse();
        assertThat(empty.partitionCountForTopic("orders")).isNull();
        assertThat(empty.partitionsForTopic("orders")).isEmpty();
        assertThat(empty.leaderFor(new TopicPartition("orders", 0))).isNull();
        assertThat(empty.leaderEpochFor(new TopicPartition("orders", 0))).isEqualTo(-1);
    }

    @Test
    void listsPartitionsOrderedByIndexAndOnlyThoseWithAKnownLeaderAsAvailable() {
        assertThat(cluster.partitionsForTopic("orders")).extracting(PartitionInfo::partition).containsExactly(0, 1, 2);
        assertThat(cluster.availablePartitionsForTopic("orders")).extracting(PartitionInfo::partition)
                .containsExactly(0, 2);
        assertThat(cluster.partitionCountForTopic("orders")).isEqualTo(3);
        assertThat(cluster.availablePartitionsForTopic("audit")).as("leader 9 is not a listed broker").isEmpty();
        assertThat(cluster.topics()).containsExactlyInAnyOrder("orders", "audit");
    }

    @Test
    void findsLeadersEpochsAndTopicIds() {
        assertThat(cluster.leaderFor(new TopicPartition("orders", 2))).isEqualTo(N2);
        assertThat(cluster.leaderFor(new TopicPartition("orders", 1))).isNull();
        assertThat(cluster.leaderFor(new TopicPartition("audit", 0))).isNull();
        assertThat(cluster.leaderEpochFor(new TopicPartition("orders", 0))).isEqualTo(5);
        assertThat(cluster.topicId("orders")).isEqualTo(ORDERS_ID);
        assertThat(cluster.topicId("audit")).isNull();
        assertThat(cluster.nodeById(2)).isEqualTo(N2);
        assertThat(cluster.controller()).isEqualTo(N1);
        assertThat(cluster.clusterId()).isEqualTo("c1");
    }

    @Test
    void returnsTheSameImmutableListOnEveryCall() {
        List<PartitionInfo> first = cluster.partitionsForTopic("orders");

        assertThat(cluster.partitionsForTopic("orders")).isSameAs(first);
        assertThatThrownBy(() -> first.add(null)).isInstanceOf(UnsupportedOperationException.class);
    }
}
