package dev.courier.producer.internals.partition;

import dev.courier.producer.PartitionInfo;
import dev.courier.producer.internals.metadata.Cluster;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Kafka's built-in choice for records without a key (KIP-480, KIP-794): every such record of a topic
 * goes to one "sticky" partition until about {@code batch.size} bytes have gone there, then a new one is
 * drawn at random among the partitions that have a leader, weighted against long queues when adaptive
 * ({@link AdaptivePartitionChoice}). Records fill whole batches instead of spreading thin over every
 * partition.
 *
 * <p>Thread-safe without locks: the state per topic is replaced by compare-and-set, and a race only
 * means a few records more or less on one partition.
 */
public final class StickyPartitioner {

    private final int switchBytes;
    private final ConcurrentMap<String, Sticky> stickyByTopic = new ConcurrentHashMap<>();
    /** Null: the uniform choice. Read once per partition switch, so volatile costs nothing per record. */
    private volatile AdaptivePartitionChoice adaptive;

    /** @param batchSize {@code batch.size}; 0 switches after every record */
    public StickyPartitioner(int batchSize) {
        this.switchBytes = Math.max(1, batchSize);
    }

    private static final class Sticky {
        final int partition;
        /**
         * Not atomic on purpose: an atomic add per record costs more than the count is worth. Callers racing
         * on one topic may lose an update now and then, which moves the switch by a record; the count only
         * decides when to draw the next partition.
         */
        long producedBytes;

        Sticky(int partition) {
            this.partition = partition;
        }
    }

    /** Weighs the next partition by queue length ({@code partitioner.adaptive.partitioning.enable}). */
    void adaptive(AdaptivePartitionChoice choice) {
        this.adaptive = choice;
    }

    /** The current sticky partition of a topic whose partition count is known. */
    public int partition(String topic, Cluster cluster) {
        int count = cluster.partitionCountForTopic(topic);
        Sticky sticky = stickyByTopic.get(topic);
        if (sticky != null && sticky.partition < count) {
            return sticky.partition;
        }
        Sticky fresh = new Sticky(pickPartition(topic, cluster, -1));
        if (sticky == null ? stickyByTopic.putIfAbsent(topic, fresh) == null : stickyByTopic.replace(topic, sticky, fresh)) {
            return fresh.partition;
        }
        Sticky current = stickyByTopic.get(topic);
        return current != null && current.partition < count ? current.partition : fresh.partition;
    }

    /**
     * Counts bytes appended to the sticky partition and moves on once a batch's worth went there and
     * that batch is full, or twice that regardless.
     */
    public void onAppend(String topic, int partition, int appendedBytes, boolean batchIsFull, Cluster cluster) {
        Sticky sticky = stickyByTopic.get(topic);
        if (sticky == null || sticky.partition != partition) {
            return;
        }
        long produced = sticky.producedBytes + appendedBytes;
        sticky.producedBytes = produced;
        if ((produced >= switchBytes && batchIsFull) || produced >= 2L * switchBytes) {
            stickyByTopic.replace(topic, sticky, new Sticky(pickPartition(topic, cluster, partition)));
        }
    }

    private int pickPartition(String topic, Cluster cluster, int avoid) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<PartitionInfo> available = cluster.availablePartitionsForTopic(topic);
        if (available.isEmpty()) {
            return random.nextInt(cluster.partitionCountForTopic(topic));
        }
        if (available.size() == 1) {
            return available.get(0).partition();
        }
        AdaptivePartitionChoice weighted = adaptive;
        if (weighted != null) {
            int chosen = weighted.choose(topic, available, random);
            if (chosen != AdaptivePartitionChoice.UNIFORM) {
                return chosen;
            }
        }
        int choice = available.get(random.nextInt(available.size())).partition();
        if (choice == avoid) {
            choice = available.get(random.nextInt(available.size())).partition();
        }
        return choice;
    }
}
