package dev.courier.producer;

import java.util.List;
import java.util.Map;

/**
 * Chooses the partition for records that do not name one, in place of the built-in
 * murmur2-for-keys, sticky-for-the-rest logic. Set with {@code partitioner.class}.
 *
 * <p>Called on the producer's own thread once the topic's metadata is known; it must be thread-safe
 * and quick.
 */
public interface Partitioner extends AutoCloseable {

    /** Receives the producer's configuration once, before first use. */
    default void configure(Map<String, ?> configs) {
    }

    /**
     * @param partitions every partition of the topic, in index order, with its current leader (-1 when
     *                   it has none)
     * @return a partition index in {@code [0, partitions.size())}
     */
    int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes,
                  List<PartitionInfo> partitions);

    @Override
    default void close() {
    }
}
