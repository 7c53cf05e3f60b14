package dev.courier.producer.internals.accumulator;

import dev.courier.producer.Callback;
import dev.courier.producer.DeliveryTimings;
import dev.courier.producer.Header;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.record.RecordBatchBuilder;
import dev.courier.producer.internals.record.Sequences;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One record batch for one partition, from its first append to the completion of its last callback.
 *
 * <p>Lifecycle and ownership:
 * <ol>
 *   <li>open: records are appended by caller threads while holding the partition deque's monitor;</li>
 *   <li>closed: the sender drained it ({@link #close()}); from here only the sender thread touches the
 *       send state (attempts, backoff, in-flight flag, encoded bytes);</li>
 *   <li>final: exactly one of succeeded / failed is reached through a compare-and-set on
 *       {@link #finalState}, so a late response after an expiry or a forced abort cannot complete the
 *       batch twice;</li>
 *   <li>completed: the completion thread has run every callback and completed every future
 *       ({@link #completion()}), which is what {@code flush()} waits for.</li>
 * </ol>
 */
public final class ProducerBatch {

    /** How the batch ended; SPLIT: the broker refused it as too large and its records moved to smaller batches. */
    public enum FinalState { SUCCEEDED, FAILED, SPLIT }

    private static final VarHandle FINAL_STATE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            FINAL_STATE = lookup.findVarHandle(ProducerBatch.class, "finalState", FinalState.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Small on purpose: at low rates and linger 0 most batches hold one record, and the slot arrays were
     * a third of a batch's allocation. A batch that keeps filling grows once to the records likely to fit
     * ({@link RecordSlots#grownCapacity}); the accumulator starts a partition's later batches at what its recent ones
     * held.
     */
    static final int INITIAL_RECORD_SLOTS = 4;

    private final TopicPartition topicPartition;
    private final long createdMs;
    private final ByteBuffer pooledBuffer;
    private final RecordBatchBuilder builder;
    /** Uncompressed bytes at which the batch counts as full, beyond batch.size (compressed batches), or 0. */
    private final int fullAtBytes;

    // guarded by the owning deque's monitor while open; read-only once closed, but for what completion does
    // (see RecordSlots), which also holds the completion that flush waits on
    private final RecordSlots slots;
    /** Encoded bytes of the latest record: what {@link #isFull} expects the next one to need. */
    private int lastRecordBytes;

    // written by the sender thread; encoded and bufferReleased under this batch's monitor, because a
    // caller thread may seal() the batch at the same time
    private ByteBuffer encoded;
    private boolean bufferReleased;
    // sender thread only
    private int attempts;
    private long retryNotBeforeMs;
    private boolean inFlight;
    private long producerId = -1;
    private short producerEpoch = -1;
    private int baseSequence = -1;
    private String lastAttemptError;
    private int requests;
    // sender thread only, and only with delivery.timings.enable: when attempts' requests went out
    private long firstSentMs = -1;
    private long lastSentMs = -1;

    /** Set once, by compare-and-set ({@link #FINAL_STATE}): a field, not an AtomicReference object per batch. */
    private volatile FinalState finalState;
    // written once by the thread that wins finalState, read by the completion thread after a hand-off
    private long baseOffset = -1;
    private long logAppendTimeMs = -1;
    private RuntimeException error;
    private boolean sentBeforeAbort;
    /** Null unless delivery timings are on and the batch succeeded. */
    private DeliveryTimings timings;
    /** See {@link #hashCode()}. */
    private final int hash = ThreadLocalRandom.current().nextInt();

    @SuppressWarnings("unchecked")
    ProducerBatch(TopicPartition topicPartition, ByteBuffer pooledBuffer, RecordBatchBuilder builder, long createdMs) {
        this(topicPartition, pooledBuffer, builder, createdMs, 0);
    }

    /**
     * @param fullAtBytes for a compressed batch given a buffer larger than batch.size, the uncompressed
     *                    size expected to compress to batch.size; 0 otherwise
     */
    @SuppressWarnings("unchecked")
    ProducerBatch(TopicPartition topicPartition, ByteBuffer pooledBuffer, RecordBatchBuilder builder, long createdMs,
                  int fullAtBytes) {
        this(topicPartition, pooledBuffer, builder, createdMs, fullAtBytes, INITIAL_RECORD_SLOTS);
    }

    /**
     * @param recordSlots records the slot arrays take before they grow: what the partition's recent batches
     *                    held ({@link PartitionQueue#recordSlotsForNewBatch()})
     */
    @SuppressWarnings("unchecked")
    ProducerBatch(TopicPartition topicPartition, ByteBuffer pooledBuffer, RecordBatchBuilder builder, long createdMs,
                  int fullAtBytes, int recordSlots) {
        this.fullAtBytes = fullAtBytes;
        this.topicPartition = topicPartition;
        this.pooledBuffer = pooledBuffer;
        this.builder = builder;
        this.createdMs = createdMs;
        this.slots = new RecordSlots(recordSlots);
    }

    /**
     * Appends a record if it fits; the caller holds the deque's monitor.
     *
     * @return false when the batch has no room (or is closed) and a new batch is needed
     */
    boolean tryAppend(long timestamp, byte[] key, byte[] value, List<Header> headers,
                      CompletableFuture<RecordMetadata> future, Callback callback) {
        return tryAppend(timestamp, key, value, headers, future, callback, 0);
    }

    /** As above, for a record that waited {@code metadataWaitMs} for its topic's metadata (timings on only). */
    boolean tryAppend(long timestamp, byte[] key, byte[] value, List<Header> headers,
                      CompletableFuture<RecordMetadata> future, Callback callback, long metadataWaitMs) {
        int sizeBefore = builder.sizeInBytes();
        if (!builder.tryAppend(timestamp, key, value, headers)) {
            return false;
        }
        lastRecordBytes = builder.sizeInBytes() - sizeBefore;
        if (slots.isFull()) {
            int size = builder.sizeInBytes();
            slots.grow(slots.grownCapacity(size - RecordBatchBuilder.BATCH_HEADER_SIZE,
                    Math.max(0, pooledBuffer.capacity() - size)));
        }
        slots.add(future, callback, timestamp, metadataWaitMs);
        return true;
    }

    /**
     * Whether another record of typical size is unlikely to fit; the caller holds the deque's monitor. A
     * compressed batch is judged by its estimated compressed size, i.e. against {@code fullAtBytes}.
     *
     * <p>"Typical" is the latest record's size. Records rarely fill {@code batch.size} to the byte, so
     * without it a batch only counted as full once the next record had to open a new batch. The sticky
     * partitioner then switched with that one record left behind in a batch of its own (sent alone once
     * the sender, keeping up, drained its partition), and the sender heard of the full batch one record late.
     */
    boolean isFull(int batchSize) {
        if (builder.isClosed()) {
            return true;
        }
        int limit = Math.max(batchSize, fullAtBytes);
        int size = builder.sizeInBytes();
        return size >= limit || limit - size < lastRecordBytes;
    }

    /**
     * Compresses the records of a batch that will take no more appends, on the thread that filled it, so
     * the sender only writes the header when it drains the batch. Synchronized with {@link #close()},
     * which a drain may call at the same moment.
     */
    synchronized void seal() {
        if (encoded == null && !bufferReleased) {
            builder.seal();
        }
    }

    synchronized boolean isSealed() {
        return builder.isSealed();
    }

    /** Encodes the batch (compression unless sealed, header, CRC); called by the sender when it drains it. */
    synchronized void close() {
        if (encoded == null) {
            encoded = builder.close();
        }
    }

    /** The encoded batch; only after {@link #close()}. A duplicate, so the caller may move its position. */
    public ByteBuffer encoded() {
        return encoded.duplicate();
    }

    /**
     * The encoded batch itself, not a duplicate, for a request that only reads it ({@code ProduceRequest}
     * slices it): saves a buffer object per batch and request. Callers must not move its position or limit.
     */
    public ByteBuffer encodedView() {
        return encoded;
    }

    public boolean isClosed() {
        return encoded != null;
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public int recordCount() {
        return slots.count();
    }

    /** Uncompressed size as appended (header included). */
    public int uncompressedSizeInBytes() {
        return builder.sizeInBytes();
    }

    /** Size on the wire; only after {@link #close()}. */
    public int encodedSizeInBytes() {
        return encoded.remaining();
    }

    public long createdMs() {
        return createdMs;
    }

    public int attempts() {
        return attempts;
    }

    public long retryNotBeforeMs() {
        return retryNotBeforeMs;
    }

    /**
     * Records a failed attempt, why it failed and when the next may start (sender thread). The reason is
     * kept so that a batch which then expires says what kept it from being delivered.
     */
    public void backOff(long nowMs, long backoffMs, String error) {
        attempts++;
        retryNotBeforeMs = nowMs + backoffMs;
        lastAttemptError = error;
    }

    /**
     * An attempt's request goes out now (sender thread). {@code timed}: delivery timings are on, so note when;
     * otherwise only the count moves.
     */
    public void sent(long nowMs, boolean timed) {
        requests++;
        if (timed) {
            if (firstSentMs < 0) {
                firstSentMs = nowMs;
            }
            lastSentMs = nowMs;
        }
    }

    /** Requests that carried the batch so far. */
    public int requests() {
        return requests;
    }

    /**
     * Works out where the batch's time went once its last attempt was answered at {@code answeredMs}, for
     * {@link #deliveryTimings()} (sender thread, before the batch is handed to the completion thread; only with
     * delivery timings on). The batch counts as ready when {@code linger.ms} had passed or, if earlier, when it
     * was first sent (it was full, or flushed).
     */
    public void timeDelivery(long answeredMs, long lingerMs) {
        if (firstSentMs < 0) {
            return; // never sent
        }
        long readyMs = Math.min(createdMs + lingerMs, firstSentMs);
        long longestMetadataWaitMs = slots.longestMetadataWait();
        timings = new DeliveryTimings(longestMetadataWaitMs, Math.max(0, readyMs - createdMs), firstSentMs - readyMs,
                lastSentMs - firstSentMs, Math.max(0, answeredMs - lastSentMs), requests);
    }

    /**
     * The batch's timings, its metadata wait being the longest any of its records waited; null unless delivery
     * timings are on and it succeeded.
     */
    public DeliveryTimings deliveryTimings() {
        return timings;
    }

    /** Why the last attempt failed, or null if there was none. */
    public String lastAttemptError() {
        return lastAttemptError;
    }

    public boolean isBackingOff(long nowMs) {
        return nowMs < retryNotBeforeMs;
    }

    private boolean transactional;

    public boolean inFlight() {
        return inFlight;
    }

    public void inFlight(boolean inFlight) {
        this.inFlight = inFlight;
    }

    /**
     * Stamps the idempotent producer's id, epoch and base sequence (sender thread): into the header
     * when the batch is not encoded yet, else by rewriting the encoded header and its CRC (a retry after
     * an epoch bump).
     */
    public void setProducerState(long producerId, short producerEpoch, int baseSequence) {
        if (encoded == null) {
            builder.setProducerState(producerId, producerEpoch, baseSequence, transactional);
        } else {
            RecordBatchBuilder.rewriteProducerState(encoded.duplicate(), producerId, producerEpoch, baseSequence);
        }
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
    }

    /**
     * Marks the batch as part of a transaction (the batch header's transactional flag), before its first
     * {@link #setProducerState}; sender thread.
     */
    public void markTransactional() {
        this.transactional = true;
    }

    /** Whether an idempotent producer gave this batch sequence numbers (it was sent at least once). */
    public boolean hasSequence() {
        return baseSequence >= 0;
    }

    public long producerId() {
        return producerId;
    }

    public short producerEpoch() {
        return producerEpoch;
    }

    /** The first record's sequence number, or -1. */
    public int baseSequence() {
        return baseSequence;
    }

    /** The last record's sequence number (sequences wrap from Integer.MAX_VALUE to 0), or -1. */
    public int lastSequence() {
        return baseSequence < 0 ? -1 : Sequences.increment(baseSequence, slots.count() - 1);
    }

    ByteBuffer pooledBuffer() {
        return pooledBuffer;
    }

    /**
     * Marks the pooled buffer as given back; returns false if it already was (sender thread).
     * Synchronized with {@link #seal()}, so a caller never compresses into a buffer the pool took back.
     */
    synchronized boolean markBufferReleased() {
        if (bufferReleased) {
            return false;
        }
        bufferReleased = true;
        return true;
    }

    /**
     * Ends the batch because its records moved to {@code parts} (sender thread): it completes no record
     * itself, and its {@link #completion()} follows theirs, so a flush that waits on it waits for them.
     *
     * @return true if this call decided the outcome
     */
    boolean markSplit(List<ProducerBatch> parts) {
        if (!FINAL_STATE.compareAndSet(this, null, FinalState.SPLIT)) {
            return false;
        }
        CompletableFuture<?>[] completions = new CompletableFuture<?>[parts.size()];
        for (int i = 0; i < completions.length; i++) {
            completions[i] = parts.get(i).completion();
        }
        CompletableFuture.allOf(completions).whenComplete((ignored, error) -> slots.markCompleted());
        return true;
    }

    /** Records the slot arrays hold before they grow (for tests). */
    int recordSlots() {
        return slots.capacity();
    }

    /** Record {@code i}'s future, for a split (sender thread; the batch takes no more appends). */
    CompletableFuture<RecordMetadata> futureAt(int i) {
        return slots.future(i);
    }

    /** How long record {@code i} waited for metadata (0 unless timings are on), for a split. */
    long metadataWaitAt(int i) {
        return slots.metadataWait(i);
    }

    /** Record {@code i}'s callback, for a split. */
    Callback callbackAt(int i) {
        return slots.callback(i);
    }

    /**
     * Ends the batch successfully, unless it already ended.
     *
     * @return true if this call decided the outcome
     */
    public boolean succeed(long baseOffset, long logAppendTimeMs) {
        if (!FINAL_STATE.compareAndSet(this, null, FinalState.SUCCEEDED)) {
            return false;
        }
        this.baseOffset = baseOffset;
        this.logAppendTimeMs = logAppendTimeMs;
        return true;
    }

    /**
     * Ends the batch with an error, unless it already ended.
     *
     * @param wasSent whether a request carrying it may have reached the broker (outcome unknown)
     * @return true if this call decided the outcome
     */
    public boolean fail(RuntimeException exception, boolean wasSent) {
        if (!FINAL_STATE.compareAndSet(this, null, FinalState.FAILED)) {
            return false;
        }
        this.error = exception;
        this.sentBeforeAbort = wasSent;
        return true;
    }

    public FinalState finalState() {
        return finalState;
    }

    public boolean isDone() {
        return finalState != null;
    }

    /** Whether the failure happened after the batch had been written to a broker. */
    public boolean failedAfterSend() {
        return sentBeforeAbort;
    }

    public RuntimeException error() {
        return error;
    }

    /**
     * Runs each record's callback and completes its future, in append order; completion thread only,
     * after the batch reached a final state. The callback runs first, so a caller that waits on the
     * future sees the callback's effects.
     */
    public void completeRecords(RecordCompletionListener listener) {
        slots.complete(topicPartition, baseOffset, logAppendTimeMs, timings, error, listener);
    }

    /** Completes once every callback of the batch has run and every future is complete. */
    public CompletableFuture<Void> completion() {
        return slots.completion();
    }

    @Override
    public String toString() {
        return "ProducerBatch(" + topicPartition + ", records=" + slots.count() + ", attempts=" + attempts
                + (baseSequence >= 0 ? ", epoch=" + producerEpoch + ", sequence=" + baseSequence : "") + ")";
    }

    /** Runs the user-facing side of one record's completion (interceptors, callback), never throwing. */
    @FunctionalInterface
    public interface RecordCompletionListener {
        void onRecordCompleted(RecordMetadata metadata, Exception exception, Callback callback);
    }

    /**
     * A random number drawn at creation instead of the identity hash: every batch enters the accumulator's
     * set of incomplete batches, and the first identity hash of an object is a slow VM call. Equality stays
     * identity, so equal batches still have equal hashes.
     */
    @Override
    public int hashCode() {
        return hash;
    }
}
