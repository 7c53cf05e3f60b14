package dev.courier.test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A record as stored in Kafka, read back by {@link RecordReader}. Keys, values and header values are raw bytes
 * (null when absent); the {@code AsString} accessors decode them as UTF-8. Instances are snapshots: the byte arrays
 * are the consumer's, not copies, so do not modify them.
 */
public final class WrittenRecord {

    /** A record header: headers keep their order and may repeat a name. */
    public record RecordHeader(String name, byte[] value) {

        /** The value as UTF-8 text, or null. */
        public String valueAsString() {
            return text(value);
        }

        @Override
        public String toString() {
            return name + "=" + valueAsString();
        }
    }

    private final String topic;
    private final int partition;
    private final long offset;
    private final long timestamp;
    private final byte[] key;
    private final byte[] value;
    private final List<RecordHeader> headers;

    private WrittenRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
                          List<RecordHeader> headers) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.key = key;
        this.value = value;
        this.headers = headers;
    }

    static WrittenRecord of(ConsumerRecord<byte[], byte[]> record) {
        List<RecordHeader> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            headers.add(new RecordHeader(header.key(), header.value()));
        }
        return new WrittenRecord(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.key(), record.value(), List.copyOf(headers));
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    /** The record's timestamp in epoch milliseconds (the producer's create time unless the topic uses log-append time). */
    public long timestamp() {
        return timestamp;
    }

    public byte[] key() {
        return key;
    }

    public String keyAsString() {
        return text(key);
    }

    public byte[] value() {
        return value;
    }

    public String valueAsString() {
        return text(value);
    }

    /** All headers in the order they were written. */
    public List<RecordHeader> headers() {
        return headers;
    }

    /** The value of the last header named {@code name} as UTF-8 text, or null if there is none (or its value is null). */
    public String header(String name) {
        for (int i = headers.size() - 1; i >= 0; i--) {
            if (headers.get(i).name().equals(name)) {
                return headers.get(i).valueAsString();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset + " key=" + keyAsString() + " value=" + valueAsString()
                + (headers.isEmpty() ? "" : " headers=" + headers);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
