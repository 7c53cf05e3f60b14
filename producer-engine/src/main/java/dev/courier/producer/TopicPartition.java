package dev.courier.producer;

import java.util.Objects;

/** A topic's partition, as the transaction API names the offsets it commits. */
public record TopicPartition(String topic, int partition) {

    public TopicPartition {
        Objects.requireNonNull(topic, "topic must not be null");
    }

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
