package dev.courier.producer.internals.partition;

import dev.courier.producer.PartitionInfo;
import dev.courier.producer.Partitioner;
import dev.courier.producer.internals.metadata.Cluster;
import java.util.List;

/**
 * Decides a record's partition exactly as the official producer does: the record's own partition, else
 * a custom {@link Partitioner}, else murmur2 of the serialized key, else the sticky partition.
 */
public final class RecordPartitioner {

    /** Returned when the topic's metadata does not allow a decision yet. */
    public static final int UNKNOWN = -1;

    private final Partitioner custom;
    private final StickyPartitioner sticky;
    private final boolean ignoreKeys;
    private volatile AdaptivePartitionChoice adaptive;

    public RecordPartitioner(Partitioner custom, int batchSize, boolean ignoreKeys) {
        this.custom = custom;
        this.sticky = new StickyPartitioner(batchSize);
        this.ignoreKeys = ignoreKeys;
    }

    /**
     * @return the partition, or {@link #UNKNOWN} while the topic is not in the metadata or the record's
     *         own partition is beyond the known partition count
     */
    public int partition(String topic, Integer requested, Object key, byte[] keyBytes, Object value,
                         byte[] valueBytes, Cluster cluster) {
        Integer count = cluster.partitionCountForTopic(topic);
        if (count == null || count == 0) {
            return UNKNOWN;
        }
        if (requested != null) {
            return requested < count ? requested : UNKNOWN;
        }
        if (custom != null) {
            List<PartitionInfo> partitions = cluster.partitionsForTopic(topic);
            int chosen = custom.partition(topic, key, keyBytes, value, valueBytes, partitions);
            if (chosen < 0 || chosen >= count) {
                throw new IllegalArgumentException("Partitioner " + custom.getClass().getName() + " chose partition "
                        + chosen + " of topic " + topic + ", which has " + count + " partitions");
            }
            return chosen;
        }
        if (keyBytes != null && !ignoreKeys) {
            return Murmur2.toPositive(Murmur2.hash(keyBytes)) % count;
        }
        return sticky.partition(topic, cluster);
    }

    /** Whether the partition came from the sticky choice, whose byte count must then be updated. */
    public boolean usesSticky(Integer requested, byte[] keyBytes) {
        return requested == null && custom == null && (keyBytes == null || ignoreKeys);
    }

    /**
     * Makes the choice for unkeyed records adaptive (KIP-794); the composition root calls it once,
     * before any record is sent.
     */
    public void adaptive(AdaptivePartitionChoice choice) {
        sticky.adaptive(choice);
        this.adaptive = choice;
    }

    /** What the sender must feed for partitioner.availability.timeout.ms, or null. */
    public LeaderAvailability leaderAvailability() {
        AdaptivePartitionChoice choice = adaptive;
        return choice == null ? null : choice.leaders();
    }

    /** Tells the sticky choice that a record was appended. */
    public void onAppend(String topic, int partition, int appendedBytes, boolean batchIsFull, Cluster cluster) {
        sticky.onAppend(topic, partition, appendedBytes, batchIsFull, cluster);
    }

    public void close() {
        if (custom != null) {
            custom.close();
        }
    }
}
