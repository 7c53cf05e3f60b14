package dev.courier.producer;

/**
 * Where an acknowledged record landed.
 *
 * @param topic     topic name
 * @param partition partition index
 * @param offset    offset of the record, or -1 when unknown ({@code acks=0})
 * @param timestamp the record's timestamp: its CreateTime, or the broker's LogAppendTime when the topic
 *                  uses it
 * @param timings   where the record's time went, or null unless {@code delivery.timings.enable=true}
 */
public record RecordMetadata(String topic, int partition, long offset, long timestamp, DeliveryTimings timings) {

    /** Without timings (what the producer gives when {@code delivery.timings.enable} is off). */
    public RecordMetadata(String topic, int partition, long offset, long timestamp) {
        this(topic, partition, offset, timestamp, null);
    }
}
