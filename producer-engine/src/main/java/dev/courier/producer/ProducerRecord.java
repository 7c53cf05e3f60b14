package dev.courier.producer;

import java.util.List;
import java.util.Objects;

/**
 * A record to send: the topic, and optionally a partition, a timestamp, a key, a value and headers.
 *
 * <p>A {@code null} partition lets the partitioner choose; a {@code null} timestamp means the producer's
 * clock at {@code send} time. Instances are immutable; the header list is copied.
 */
public final class ProducerRecord<K, V> {

    private final String topic;
    private final Integer partition;
    private final Long timestamp;
    private final K key;
    private final V value;
    private final List<Header> headers;

    public ProducerRecord(String topic, Integer partition, Long timestamp, K key, V value, Iterable<Header> headers) {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("topic must be a non-empty string");
        }
        if (partition != null && partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, was " + partition);
        }
        if (timestamp != null && timestamp < 0) {
            throw new IllegalArgumentException("timestamp must be >= 0, was " + timestamp);
        }
        this.topic = topic;
        this.partition = partition;
        this.timestamp = timestamp;
        this.key = key;
        this.value = value;
        this.headers = copyHeaders(headers);
    }

    public ProducerRecord(String topic, Integer partition, K key, V value) {
        this(topic, partition, null, key, value, null);
    }

    public ProducerRecord(String topic, K key, V value) {
        this(topic, null, null, key, value, null);
    }

    public ProducerRecord(String topic, V value) {
        this(topic, null, null, null, value, null);
    }

    private static List<Header> copyHeaders(Iterable<Header> headers) {
        if (headers == null) {
            return List.of();
        }
        java.util.ArrayList<Header> copy = new java.util.ArrayList<>();
        for (Header header : headers) {
            copy.add(Objects.requireNonNull(header, "headers must not contain null"));
        }
        return List.copyOf(copy);
    }

    public String topic() {
        return topic;
    }

    /** The partition the caller asked for, or {@code null} to let the partitioner choose. */
    public Integer partition() {
        return partition;
    }

    /** The caller's timestamp in milliseconds since the epoch, or {@code null} for the send time. */
    public Long timestamp() {
        return timestamp;
    }

    public K key() {
        return key;
    }

    public V value() {
        return value;
    }

    /** Headers in the order they will be written; never null. */
    public List<Header> headers() {
        return headers;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProducerRecord<?, ?> that
                && topic.equals(that.topic)
                && Objects.equals(partition, that.partition)
                && Objects.equals(timestamp, that.timestamp)
                && Objects.equals(key, that.key)
                && Objects.equals(value, that.value)
                && headers.equals(that.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, timestamp, key, value, headers);
    }

    @Override
    public String toString() {
        return "ProducerRecord(topic=" + topic + ", partition=" + partition + ", timestamp=" + timestamp
                + ", key=" + key + ", value=" + value + ", headers=" + headers + ")";
    }
}
