package dev.courier.test;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import dev.courier.test.internals.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads back what a test wrote, with the official Kafka consumer: from the beginning of every partition of a topic,
 * without a consumer group (nothing is committed, so reads can repeat), including records of open or aborted
 * transactions (read_uncommitted). Records of one partition come in offset order.
 *
 * <pre>{@code
 * List<WrittenRecord> records = reader.awaitRecords("orders", 2);
 * assertThat(records).extracting(WrittenRecord::valueAsString).containsExactlyInAnyOrder("a", "b");
 * }</pre>
 */
public final class RecordReader {

    /** How long {@link #awaitRecords(String, int)} and {@link #readAll(String)} wait. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final Supplier<String> bootstrapServers;

    /** A reader for any cluster, bootstrapping from {@code bootstrapServers} ({@code host:port,...}). */
    public RecordReader(String bootstrapServers) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.bootstrapServers = () -> bootstrapServers;
    }

    /** A reader for {@code kafka}; it follows the cluster's brokers across restarts. */
    public RecordReader(EmbeddedKafka kafka) {
        Objects.requireNonNull(kafka, "kafka");
        this.bootstrapServers = kafka::bootstrapServers;
    }

    /** As {@link #awaitRecords(String, int, Duration)} within {@link #DEFAULT_TIMEOUT}. */
    public List<WrittenRecord> awaitRecords(String topic, int count) {
        return awaitRecords(topic, count, DEFAULT_TIMEOUT);
    }

    /**
     * Reads {@code topic} until at least {@code count} records arrived and returns them (possibly more, never
     * fewer), or fails with an {@link AssertionError} after {@code timeout} that lists what it did read.
     */
    public List<WrittenRecord> awaitRecords(String topic, int count, Duration timeout) {
        return convert(TopicReader.consume(bootstrapServers.get(), topic, count, timeout));
    }

    /** As {@link #readAll(String, Duration)} within {@link #DEFAULT_TIMEOUT}. */
    public List<WrittenRecord> readAll(String topic) {
        return readAll(topic, DEFAULT_TIMEOUT);
    }

    /**
     * Every record of {@code topic} up to each partition's end offset when this is called, so unlike
     * {@link #awaitRecords} it also shows records beyond an expected count (duplicates, say).
     */
    public List<WrittenRecord> readAll(String topic, Duration timeout) {
        return convert(TopicReader.consumeAll(bootstrapServers.get(), topic, timeout));
    }

    private static List<WrittenRecord> convert(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(WrittenRecord::of).toList();
    }
}
