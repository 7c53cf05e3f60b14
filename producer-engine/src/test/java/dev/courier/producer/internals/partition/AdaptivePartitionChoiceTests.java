package dev.courier.producer.internals.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.courier.producer.PartitionInfo;
import dev.courier.producer.internals.metadata.Cluster;
import dev.courier.producer.internals.metadata.Metadata;
import dev.courier.producer.internals.metadata.TestMetadata;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The weighted choice of the next sticky partition (KIP-794), drawn with a seeded Random. */
class AdaptivePartitionChoiceTests {

    private static final String TOPIC = "t";
    /** Partitions 0..2, partition p led by broker p. */
    private static final List<PartitionInfo> PARTITIONS = IntStream.range(0, 3)
            .mapToObj(p -> new PartitionInfo(TOPIC, p, p, List.of(p), List.of(p))).toList();

    private static AdaptivePartitionChoice withQueues(Map<Integer, Integer> queues, LeaderAvailability leaders) {
        return new AdaptivePartitionChoice(tp -> queues.getOrDefault(tp.partition(), 0), leaders);
    }

    private static double[] shares(AdaptivePartitionChoice choice, int draws) {
        Random random = new Random(42);
        double[] counts = new double[PARTITIONS.size()];
        for (int i = 0; i < draws; i++) {
            counts[choice.choose(TOPIC, PARTITIONS, random)]++;
        }
        for (int p = 0; p < counts.length; p++) {
            counts[p] /= draws;
        }
        return counts;
    }

    @Test
    void equalQueuesLeaveTheChoiceToTheUniformRule() {
        assertThat(withQueues(Map.of(), null).choose(TOPIC, PARTITIONS, new Random(1)))
                .isEqualTo(AdaptivePartitionChoice.UNIFORM);
        assertThat(withQueues(Map.of(0, 2, 1, 2, 2, 2), null).choose(TOPIC, PARTITIONS, new Random(1)))
                .isEqualTo(AdaptivePartitionChoice.UNIFORM);
    }

    @Test
    void aPartitionIsDrawnWithWeightLongestQueuePlusOneMinusItsOwn() {
        // queues 0, 3, 0: weights 4, 1, 4
        double[] shares = shares(withQueues(Map.of(1, 3), null), 90_000);
        assertThat(shares[0]).isCloseTo(4 / 9.0, within(0.01));
        assertThat(shares[1]).isCloseTo(1 / 9.0, within(0.01));
        assertThat(shares[2]).isCloseTo(4 / 9.0, within(0.01));
    }

    @Test
    void theCumulativeWeightsMapEachDrawToOnePartition() {
        int[] cumulative = {4, 5, 9};
        assertThat(IntStream.range(0, 9).map(r -> AdaptivePartitionChoice.indexOf(cumulative, r)).toArray())
                .containsExactly(0, 0, 0, 0, 1, 2, 2, 2, 2);
    }

    @Test
    void aLeaderWithSendableDataAndNoDrainForLongerThanTheTimeoutIsLeftOut() {
        LeaderAvailability leaders = new LeaderAvailability(100);
        for (int node = 0; node < 3; node++) {
            leaders.onSendable(node, 0);
            leaders.onDrained(node, 0);
        }
        leaders.onSendable(0, 150);
        leaders.onDrained(0, 150);
        leaders.onSendable(1, 150); // broker 1 had data for 150 ms and took none of it
        leaders.onSendable(2, 100); // broker 2 for exactly the timeout: still in
        assertThat(leaders.isAvailable(1)).isFalse();
        assertThat(leaders.isAvailable(2)).isTrue();

        double[] shares = shares(withQueues(Map.of(), leaders), 10_000);
        assertThat(shares[1]).isZero();
        assertThat(shares[0] + shares[2]).isEqualTo(1.0);

        leaders.onDrained(1, 160);
        assertThat(leaders.isAvailable(1)).isTrue();
    }

    @Test
    void whenEveryLeaderIsLeftOutTheUniformRuleApplies() {
        LeaderAvailability leaders = new LeaderAvailability(10);
        for (int node = 0; node < 3; node++) {
            leaders.onSendable(node, 0);
            leaders.onSendable(node, 50);
        }
        assertThat(withQueues(Map.of(1, 5), leaders).choose(TOPIC, PARTITIONS, new Random(1)))
                .isEqualTo(AdaptivePartitionChoice.UNIFORM);
    }

    @Test
    void theStickyPartitionerMovesAwayFromALongQueue() {
        Map<Integer, Integer> queues = Map.of(0, 50, 1, 50);
        StickyPartitioner sticky = new StickyPartitioner(100);
        sticky.adaptive(withQueues(queues, null));
        Cluster cluster = clusterOfThree();
        int onPartitionTwo = 0;
        for (int i = 0; i < 1_000; i++) {
            int partition = sticky.partition(TOPIC, cluster);
            onPartitionTwo += partition == 2 ? 1 : 0;
            sticky.onAppend(TOPIC, partition, 200, true, cluster); // a batch's worth: switch
        }
        // weights 1, 1, 51: partition 2 is drawn about 96 % of the time; uniform would give a third
        assertThat(onPartitionTwo).isGreaterThan(800);
    }

    private static Cluster clusterOfThree() {
        Metadata metadata = new Metadata(100, 1000, 300_000, 300_000);
        TestMetadata.cluster(3).topic(TOPIC, 3).applyTo(metadata, 0);
        return metadata.fetch();
    }
}
