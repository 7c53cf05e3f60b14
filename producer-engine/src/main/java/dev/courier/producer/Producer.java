package dev.courier.producer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes records to Kafka.
 *
 * <p>Thread-safe: share one instance between threads. {@code send} never waits for metadata; it blocks
 * only while {@code buffer.memory} is exhausted, for at most {@code max.block.ms}. Everything
 * asynchronous is reported through the returned future (and the callback, if given), which always
 * completes: with the record's metadata, or with an exception.
 */
public interface Producer<K, V> extends AutoCloseable {

    /**
     * Sends a record; the future completes when the broker acknowledges it or it fails.
     *
     * @throws NullPointerException  if {@code record} is null
     * @throws IllegalStateException if the producer is closed; every other failure (serialization, the
     *                               partitioner, size, memory) fails the future instead
     */
    CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record);

    /** As {@link #send(ProducerRecord)}, also telling {@code callback} (which may be null). */
    CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback);

    /** Sends everything buffered now and returns when every record sent before this call is complete. */
    void flush();

    /** The topic's partitions, waiting up to {@code max.block.ms} for its metadata. */
    List<PartitionInfo> partitionsFor(String topic);

    /** The producer's metrics by name. */
    Map<String, Metric> metrics();

    /** Stops accepting records, delivers (or fails) everything accepted, and releases resources. */
    @Override
    void close();

    /**
     * As {@link #close()} but waits at most {@code timeout}; then every record still pending fails with
     * {@link dev.courier.producer.errors.ProducerClosedException}. {@code Duration.ZERO} forces at once.
     */
    void close(Duration timeout);
}
