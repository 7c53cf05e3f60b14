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
     * @throws IllegalStateException if the producer is closed, or if it is transactional and no transaction
     *                               is open ({@link #beginTransaction()}); every other failure (serialization,
     *                               the partitioner, size, memory, a transaction that already failed) fails
     *                               the future instead
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

    /**
     * Makes a producer with {@code transactional.id} ready for transactions: finds its transaction
     * coordinator and gets a producer id and epoch, which fences any earlier producer with the same id and
     * aborts (or completes) what that one left open. Call once, before the first transaction. Blocks for at
     * most {@code max.block.ms}; after a {@link dev.courier.producer.errors.TimeoutException} call it again to
     * keep waiting.
     *
     * @throws IllegalStateException if {@code transactional.id} is not set, or when called again after it
     *                               succeeded, or from a callback
     * @throws dev.courier.producer.errors.TransactionException (the subclass says what to do; see there)
     */
    void initTransactions();

    /**
     * Opens a transaction: records sent from now on are committed or aborted together. Does not block.
     *
     * @throws IllegalStateException before {@link #initTransactions()}, or while a transaction is open
     */
    void beginTransaction();

    /**
     * Adds consumer offsets to the transaction: they are committed for the group only if the transaction
     * commits (consume-transform-produce exactly once). Each offset is that of the next record to read.
     * Blocks for at most {@code max.block.ms}.
     *
     * @throws IllegalStateException outside a transaction
     * @throws dev.courier.producer.errors.TransactionAbortableException if the group refused the offsets
     *                               (e.g. the consumer lost its partitions in a rebalance): abort
     */
    void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets,
                                  ConsumerGroupMetadata groupMetadata);

    /**
     * Sends everything the transaction still buffers, waits for every record of it, and commits it. Returns
     * only once every record's future has completed and the transaction is committed. Bounded by
     * {@code max.block.ms}: after a {@link dev.courier.producer.errors.TimeoutException} call it again to
     * resume. Must not be called from a callback.
     *
     * @throws IllegalStateException outside a transaction
     * @throws dev.courier.producer.errors.TransactionAbortableException if a send of the transaction failed
     *                               (the transaction must be aborted with {@link #abortTransaction()})
     * @throws dev.courier.producer.errors.ApplicationRecoverableException if this producer was fenced or its
     *                               transaction timed out: close it and create a new one
     */
    void commitTransaction();

    /**
     * Aborts the open transaction: records not yet sent fail with
     * {@link dev.courier.producer.errors.TransactionAbortedException}, records already written are never
     * shown to read_committed consumers. Returns once the coordinator has aborted it and the futures of its
     * records have completed; bounded by {@code max.block.ms} (call again to resume).
     *
     * @throws IllegalStateException outside a transaction
     * @throws dev.courier.producer.errors.ApplicationRecoverableException if this producer was fenced
     */
    void abortTransaction();

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
