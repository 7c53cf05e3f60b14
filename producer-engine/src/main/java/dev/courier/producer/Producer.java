package dev.courier.producer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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

    /**
     * As {@link #send(ProducerRecord)} but never blocks. When {@code buffer.memory} or
     * {@code max.buffered.records} has no room now (or blocked {@code send} callers are waiting for it, who
     * come first), the returned future is already failed with
     * {@link dev.courier.producer.errors.BufferExhaustedException} when this returns, and nothing else is
     * touched; the failure is counted and reaches interceptors like any other.
     *
     * @throws NullPointerException  if {@code record} is null
     * @throws IllegalStateException if the producer is closed
     */
    CompletableFuture<RecordMetadata> trySend(ProducerRecord<K, V> record);

    /** As {@link #trySend(ProducerRecord)}, also telling {@code callback} (on the callback thread; may be null). */
    CompletableFuture<RecordMetadata> trySend(ProducerRecord<K, V> record, Callback callback);

    /** What {@link #trySend} could take now: bytes of buffer memory and records (-1: no record limit). */
    ProducerCapacity capacity();

    /**
     * Completes once at least {@code bytes} of buffer memory and one record's room are free (at once, if they
     * are now), on the producer's callback thread; a hint, not a reservation. A wait still open once the
     * producer has closed (and given back the memory of what it aborted) fails with
     * {@link dev.courier.producer.errors.ProducerClosedException}.
     *
     * @throws IllegalArgumentException if {@code bytes} is negative or more than {@code buffer.memory}
     * @throws IllegalStateException    if the producer is closed
     */
    CompletionStage<Void> whenCapacity(int bytes);

    /**
     * Fails every record that is buffered and not yet sent (in a batch never sent, or waiting for its topic's
     * metadata) with {@link dev.courier.producer.errors.RecordPurgedException}; leaves alone records in
     * flight and batches waiting to be retried. Waits up to {@code max.block.ms} for the network thread to
     * do it.
     *
     * @return how many records were purged
     * @throws IllegalStateException                        if the producer is closed
     * @throws dev.courier.producer.errors.TimeoutException if the network thread did not get to it in time
     */
    int purge();

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
     * {@link dev.courier.producer.errors.ProducerClosedException}. {@code Duration.ZERO} forces at once. The
     * closing log line says how many records were aborted before they were sent (and how many of those
     * {@link #purge()} had failed) and how many while in flight.
     */
    void close(Duration timeout);
}
