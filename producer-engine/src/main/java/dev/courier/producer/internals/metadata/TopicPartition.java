package dev.courier.producer.internals.metadata;

/** A topic name and partition index: the unit batches are kept and sent by. */
public record TopicPartition(String topic, int partition) {

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
