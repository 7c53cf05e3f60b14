package dev.courier.producer;

/**
 * Where an acknowledged record landed.
 *
 * @param topic     topic name
 * @param partition partition index
 * @param offset    offset of the record, or -1 when unknown ({@code acks=0})
 * @param timestamp the record's timestamp: its CreateTime, or the broker's LogAppendTime when the topic
 *                  uses it
 */
public record RecordMetadata(String topic, int partition, long offset, long timestamp) {
}
