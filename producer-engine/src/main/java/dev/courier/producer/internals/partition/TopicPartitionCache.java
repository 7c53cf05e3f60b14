package dev.courier.producer.internals.partition;

import dev.courier.producer.internals.metadata.TopicPartition;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The {@link TopicPartition} of each (topic, partition) a producer sends to, made once instead of once
 * per record on the send path.
 *
 * <p>Thread-safe without locks: caller threads race benignly. A slot written twice holds equal
 * instances, and {@code TopicPartition} is immutable with final fields, so a reader that sees the
 * reference sees a complete object. At most {@value #MAX_TOPICS} topics are cached, so a producer
 * that writes to ever new topic names does not grow this forever; beyond that it allocates as before.
 */
public final class TopicPartitionCache {

    static final int MAX_TOPICS = 1024;

    private final ConcurrentMap<String, TopicPartition[]> byTopic = new ConcurrentHashMap<>();

    /** The shared instance for {@code (topic, partition)}; {@code partition} must not be negative. */
    public TopicPartition get(String topic, int partition) {
        TopicPartition[] partitions = byTopic.get(topic);
        if (partitions != null && partition < partitions.length) {
            TopicPartition cached = partitions[partition];
            if (cached != null) {
                return cached;
            }
            return partitions[partition] = new TopicPartition(topic, partition);
        }
        TopicPartition made = new TopicPartition(topic, partition);
        if (partitions == null && byTopic.size() >= MAX_TOPICS) {
            return made;
        }
        // First sight of the topic, or more partitions than before (the topic grew): a larger copy.
        TopicPartition[] grown = new TopicPartition[Math.max(partition + 1, partitions == null ? 0 : partitions.length)];
        if (partitions != null) {
            System.arraycopy(partitions, 0, grown, 0, partitions.length);
        }
        grown[partition] = made;
        byTopic.put(topic, grown);
        return made;
    }

    int cachedTopics() {
        return byTopic.size();
    }
}
