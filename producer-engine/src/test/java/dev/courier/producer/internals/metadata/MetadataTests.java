package dev.courier.producer.internals.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.protocol.MetadataResponse;
import dev.courier.producer.internals.protocol.MetadataResponse.Broker;
import dev.courier.producer.internals.protocol.MetadataResponse.PartitionMetadata;
import dev.courier.producer.internals.protocol.MetadataResponse.TopicMetadata;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MetadataTests {

    private static final long BACKOFF = 100;
    private static final long EXPIRE = 300_000;
    private static final long IDLE = 60_000;
    private static final UUID ID = new UUID(7, 7);

    private final Metadata metadata = new Metadata(BACKOFF, 1_000, EXPIRE, IDLE);
    private long now = 1_000_000;

    static MetadataResponse response(List<TopicMetadata> topics) {
        return new MetadataResponse(0, List.of(new Broker(1, "h1", 9092, null), new Broker(2, "h2", 9092, null)),
                "cluster", 1, topics, (short) 0);
    }

    static TopicMetadata topic(String name, PartitionMetadata... partitions) {
        return new TopicMetadata((short) 0, name, ID, false, List.of(partitions));
    }

    static PartitionMetadata partition(int index, int leader, int epoch) {
        return new PartitionMetadata((short) 0, index, leader, epoch, new int[] {1, 2}, new int[] {1, 2}, new int[0]);
    }

    static TopicMetadata topicError(String name, Errors error) {
        return new TopicMetadata(error.code(), name, null, false, List.of());
    }

    @Test
    void bootstrapsFromTheGivenAddressesAndWantsAnUpdateAtOnce() {
        metadata.bootstrap(List.of(InetSocketAddress.createUnresolved("b1", 9092)));

        assertThat(metadata.fetch().isBootstrapConfigured()).isTrue();
        assertThat(metadata.fetch().nodes()).extracting(Node::id).containsExactly(-1);
        assertThat(metadata.timeToNextUpdate(now)).isZero();
    }

    @Test
    void appliesAResponseAndThenWaitsForTheMaxAge() {
        metadata.add("orders", now);
        metadata.topicsForRequest(now);
        metadata.update(response(List.of(topic("orders", partition(0, 1, 3), partition(1, 2, 4)))), now);

        Cluster cluster = metadata.fetch();
        assertThat(cluster.partitionCountForTopic("orders")).isEqualTo(2);
        assertThat(cluster.leaderFor(new TopicPartition("orders", 1)).id()).isEqualTo(2);
        assertThat(cluster.topicId("orders")).isEqualTo(ID);
        assertThat(metadata.updateRequested()).isFalse();
        assertThat(metadata.timeToNextUpdate(now)).isEqualTo(EXPIRE);
        assertThat(metadata.timeToNextUpdate(now + EXPIRE)).isZero();
    }

    @Test
    void takesANewerLeaderNamedByAProduceResponseAtOnce() {
        metadata.add("orders", now);
        metadata.topicsForRequest(now);
        metadata.update(response(List.of(topic("orders", partition(0, 1, 5), partition(1, 1, 5)))), now);
        TopicPartition tp0 = new TopicPartition("orders", 0);
        TopicPartition tp1 = new TopicPartition("orders", 1);
        Node newBroker = new Node(3, "h3", 9092, null);

        Set<TopicPartition> changed = metadata.updateLeaders(Map.of(
                tp0, new Metadata.LeaderHint(2, 6),
                tp1, new Metadata.LeaderHint(3, 7)), List.of(newBroker));

        assertThat(changed).containsExactlyInAnyOrder(tp0, tp1);
        assertThat(metadata.fetch().leaderFor(tp0).id()).isEqualTo(2);
        assertThat(metadata.fetch().leaderFor(tp1)).isEqualTo(newBroker);
        assertThat(metadata.fetch().leaderEpochFor(tp1)).isEqualTo(7);
        assertThat(metadata.fetch().partition(tp1).replicas()).containsExactly(1, 2);
    }

    @Test
    void ignoresALeaderHintThatIsNotNewerOrNamesAnUnknownNode() {
        metadata.add("orders", now);
        metadata.topicsForRequest(now);
        metadata.update(response(List.of(topic("orders", partition(0, 1, 5), partition(1, 1, 5)))), now);
        TopicPartition tp0 = new TopicPartition("orders", 0);
        TopicPartition tp1 = new TopicPartition("orders", 1);

        Set<TopicPartition> changed = metadata.updateLeaders(Map.of(
                tp0, new Metadata.LeaderHint(2, 5),
                tp1, new Metadata.LeaderHint(9, 8)), List.of());

        assertThat(changed).isEmpty();
        assertThat(metadata.fetch().leaderFor(tp0).id()).isEqualTo(1);
        assertThat(metadata.fetch().leaderFor(tp1).id()).isEqualTo(1);
    }

    @Test
    void ignoresAPartitionWhoseLeaderEpochGoesBackwards() {
        metadata.add("orders", now);
        metadata.topicsForRequest(now);
        metadata.update(response(List.of(topic("orders", partition(0, 1, 5)))), now);

        metadata.topicsForRequest(now);
        metadata.update(response(List.of(topic("orders", partition(0, 2, 4)))), now + 1);

        TopicPartition tp = new TopicPartition("orders", 0);
        assertThat(metadata.fetch().leaderFor(tp).id()).isEqualTo(1);
        assertThat(metadata.fetch().leaderEpochFor(tp)).isEqualTo(5);
        assertThat(metadata.updateRequested()).as("a stale answer asks for another").isTrue();

        metadata.topicsForRequest(now);
        metadata.update(response(List.of(topic("orders", partition(0, 2, 6)))), now + 2);
        assertThat(metadata.fetch().leaderFor(tp).id()).isEqualTo(2);
        assertThat(metadata.fetch().leaderEpochFor(tp)).isEqualTo(6);
    }

    @Test
    void acceptsLowerEpochsWhenTheTopicWasRecreatedWithANewId() {
        metadata.add("orders", now);
        metadata.topicsForRequest(now);
        metadata.update(response(List.of(topic("orders", partition(0, 1, 5)))), now);

        metadata.topicsForRequest(now);
        TopicMetadata recreated = new TopicMetadata((short) 0, "orders", new UUID(9, 9), false,
                List.of(partition(0, 2, 0)));
        metadata.update(response(List.of(recreated)), now + 1);

        assertThat(metadata.fetch().leaderEpochFor(new TopicPartition("orders", 0))).isZero();
    }

    @Test
    void remembersTopicErrorsAndKeepsRefreshingForAnUnknownTopic() {
        metadata.add("missing", now);
        metadata.topicsForRequest(now);
        metadata.update(response(List.of(topicError("missing", Errors.UNKNOWN_TOPIC_OR_PARTITION))), now);

        assertThat(metadata.topicError("missing")).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(metadata.fetch().partitionCountForTopic("missing")).isNull();
        assertThat(metadata.timeToNextUpdate(now)).as("after the refresh backoff").isBetween(1L, 2 * BACKOFF);
        assertThat(metadata.timeToNextUpdate(now + 2 * BACKOFF)).isZero();
    }

    @Test
    void aNewTopicAsksForAnUpdateWithoutWaitingForTheBackoff() {
        metadata.topicsForRequest(now);
        metadata.update(response(List.of()), now);
        assertThat(metadata.timeToNextUpdate(now)).isPositive();

        metadata.add("orders", now);

        assertThat(metadata.timeToNextUpdate(now)).isZero();
    }

    @Test
    void anUpdateRequestedWhileAFetchIsInFlightSurvivesTheResponse() {
        metadata.topicsForRequest(now);
        metadata.requestUpdate();
        metadata.update(response(List.of()), now);

        assertThat(metadata.updateRequested()).isTrue();
    }

    @Test
    void aTopicAddedAfterTheRequestWasBuiltIsFetchedNext() {
        metadata.topicsForRequest(now);
        metadata.add("late", now);
        metadata.update(response(List.of()), now);

        assertThat(metadata.updateRequested()).isTrue();
        assertThat(metadata.topicsForRequest(now)).containsExactly("late");
    }

    @Test
    void failedUpdatesBackOffExponentially() {
        metadata.requestUpdate();
        metadata.failedUpdate(now);
        long first = metadata.timeToNextUpdate(now);
        metadata.failedUpdate(now);
        metadata.failedUpdate(now);
        long third = metadata.timeToNextUpdate(now);

        assertThat(first).isBetween((long) (2 * BACKOFF * 0.8), (long) (2 * BACKOFF * 1.2));
        assertThat(third).isBetween((long) (8 * BACKOFF * 0.8), (long) (8 * BACKOFF * 1.2));
    }

    @Test
    void dropsTopicsNotProducedToForTheIdleTime() {
        metadata.add("busy", now);
        metadata.add("idle", now);
        metadata.add("busy", now + IDLE - 1);

        assertThat(metadata.topicsForRequest(now + IDLE)).containsExactly("busy");
        assertThat(metadata.containsTopic("idle")).isFalse();
    }

    @Test
    void rebootstrapsWhenTheBrokerSaysSo() {
        metadata.bootstrap(List.of(InetSocketAddress.createUnresolved("b1", 9092)));
        metadata.topicsForRequest(now);
        metadata.update(response(List.of()), now);
        assertThat(metadata.fetch().isBootstrapConfigured()).isFalse();

        metadata.update(new MetadataResponse(0, List.of(), null, -1, List.of(), Errors.REBOOTSTRAP_REQUIRED.code()), now);

        assertThat(metadata.fetch().isBootstrapConfigured()).isTrue();
        assertThat(metadata.updateRequested()).isTrue();
    }

    @Test
    void treatsAResponseWithoutBrokersAsAFailure() {
        metadata.bootstrap(List.of(InetSocketAddress.createUnresolved("b1", 9092)));
        int version = metadata.updateVersion();

        metadata.update(new MetadataResponse(0, List.of(), null, -1, List.of(), (short) 0), now);

        assertThat(metadata.updateVersion()).isEqualTo(version);
        assertThat(metadata.fetch().isBootstrapConfigured()).isTrue();
        assertThat(metadata.timeToNextUpdate(now)).isPositive();
    }

    @Test
    void runsListenersAfterEachUpdate() {
        AtomicInteger calls = new AtomicInteger();
        List<Integer> seenVersions = new ArrayList<>();
        metadata.addListener(() -> {
            calls.incrementAndGet();
            seenVersions.add(metadata.updateVersion());
        });

        metadata.update(response(List.of()), now);
        metadata.update(response(List.of()), now + 1);

        assertThat(calls).hasValue(2);
        assertThat(seenVersions).containsExactly(1, 2);
    }

    @Test
    void aPartitionWithoutALeaderIsKnownButNotAvailable() {
        metadata.add("orders", now);
        metadata.topicsForRequest(now);
        metadata.update(response(List.of(topic("orders", partition(0, -1, 2), partition(1, 1, 2)))), now);

        assertThat(metadata.fetch().partitionCountForTopic("orders")).isEqualTo(2);
        assertThat(metadata.fetch().availablePartitionsForTopic("orders")).hasSize(1);
        assertThat(metadata.updateRequested()).isTrue();
    }
}
