package dev.courier.producer.internals.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.internals.metadata.TopicPartition;
import org.junit.jupiter.api.Test;

class TopicPartitionCacheTests {

    private final TopicPartitionCache cache = new TopicPartitionCache();

    @Test
    void returnsTheSameInstanceForTheSamePartition() {
        TopicPartition first = cache.get("orders", 2);
        assertThat(first).isEqualTo(new TopicPartition("orders", 2));
        assertThat(cache.get("orders", 2)).isSameAs(first);
        assertThat(cache.get("orders", 0)).isEqualTo(new TopicPartition("orders", 0)).isNotSameAs(first);
    }

    @Test
    void keepsEarlierInstancesWhenATopicGrowsPartitions() {
        TopicPartition p1 = cache.get("orders", 1);
        TopicPartition p7 = cache.get("orders", 7);
        assertThat(p7).isEqualTo(new TopicPartition("orders", 7));
        assertThat(cache.get("orders", 1)).isSameAs(p1);
        assertThat(cache.get("orders", 7)).isSameAs(p7);
    }

    @Test
    void stopsCachingNewTopicsBeyondItsLimitButStillAnswers() {
        for (int i = 0; i < TopicPartitionCache.MAX_TOPICS; i++) {
            cache.get("topic-" + i, 0);
        }
        TopicPartition extra = cache.get("one-too-many", 4);
        assertThat(extra).isEqualTo(new TopicPartition("one-too-many", 4));
        assertThat(cache.cachedTopics()).isEqualTo(TopicPartitionCache.MAX_TOPICS);
        assertThat(cache.get("topic-0", 0)).isSameAs(cache.get("topic-0", 0));
    }
}
