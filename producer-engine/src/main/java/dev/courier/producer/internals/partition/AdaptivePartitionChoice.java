package dev.courier.producer.internals.partition;

import dev.courier.producer.PartitionInfo;
import dev.courier.producer.internals.metadata.TopicPartition;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.random.RandomGenerator;

/**
 * KIP-794's choice of the next sticky partition: a partition is drawn with weight (longest queue + 1)
 * minus its own queue length, queues counted in batches waiting in the accumulator, so partitions whose
 * leader drains slowly get fewer new records. With an availability timeout, partitions whose leader
 * {@link LeaderAvailability} reports as stuck are left out.
 *
 * <p>Runs only when a topic's sticky partition changes (about once per batch.size bytes), never per
 * record: it reads one queue length per partition. Thread-safe.
 */
public final class AdaptivePartitionChoice {

    /** Returned when the uniform rule applies: every queue equally long and nothing left out. */
    public static final int UNIFORM = -1;

    private final ToIntFunction<TopicPartition> queueSizes;
    private final LeaderAvailability leaders;

    /**
     * @param queueSizes batches queued per partition (the accumulator's)
     * @param leaders    null when partitioner.availability.timeout.ms is 0
     */
    public AdaptivePartitionChoice(ToIntFunction<TopicPartition> queueSizes, LeaderAvailability leaders) {
        this.queueSizes = queueSizes;
        this.leaders = leaders;
    }

    /** The availability bookkeeping the sender feeds, or null. */
    public LeaderAvailability leaders() {
        return leaders;
    }

    /**
     * @param available the topic's partitions that have a leader
     * @return the chosen partition, or {@link #UNIFORM}
     */
    public int choose(String topic, List<PartitionInfo> available, RandomGenerator random) {
        int n = available.size();
        int[] queue = new int[n];
        int longest = 0;
        int shortest = Integer.MAX_VALUE;
        int included = 0;
        for (int i = 0; i < n; i++) {
            PartitionInfo partition = available.get(i);
            if (leaders != null && !leaders.isAvailable(partition.leader())) {
                queue[i] = -1;
                continue;
            }
            int size = queueSizes.applyAsInt(new TopicPartition(topic, partition.partition()));
            queue[i] = size;
            longest = Math.max(longest, size);
            shortest = Math.min(shortest, size);
            included++;
        }
        if (included == 0 || (included == n && longest == shortest)) {
            return UNIFORM;
        }
        int[] cumulative = new int[n];
        int total = 0;
        for (int i = 0; i < n; i++) {
            total += queue[i] < 0 ? 0 : longest + 1 - queue[i];
            cumulative[i] = total;
        }
        return available.get(indexOf(cumulative, random.nextInt(total))).partition();
    }

    /** The first index whose cumulative weight exceeds {@code r}. */
    static int indexOf(int[] cumulative, int r) {
        int low = 0;
        int high = cumulative.length - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (cumulative[mid] > r) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }
}
