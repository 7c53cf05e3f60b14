package dev.courier.producer.internals.accumulator;

import dev.courier.producer.Callback;
import dev.courier.producer.DeliveryTimings;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.internals.accumulator.ProducerBatch.RecordCompletionListener;
import dev.courier.producer.internals.metadata.TopicPartition;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * What a batch keeps per record until it completes: the future, the callback, the timestamp and (with delivery
 * timings) the metadata wait, in append order; and the completion of those records, which is what
 * {@code flush()} waits on ({@link #completion()}).
 *
 * <p>Owned by one {@link ProducerBatch}, which decides the outcome and passes it to {@link #complete}. The slot
 * arrays are guarded like the batch's appends (the partition deque's monitor); read-only once the batch is
 * closed, except that completion lets go of each callback (completion thread). {@link #completion} and
 * {@link #completed} are volatile, read and written by any thread.
 */
final class RecordSlots {

    private static final VarHandle COMPLETION;

    static {
        try {
            COMPLETION = MethodHandles.lookup().findVarHandle(RecordSlots.class, "completion", CompletableFuture.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private CompletableFuture<RecordMetadata>[] futures;
    private Callback[] callbacks;
    /**
     * Each record's timestamp as its distance from the first's: half the room of a long, since a batch's records
     * are milliseconds apart. Null once a distance did not fit an int; {@link #wideTimestamps} then holds them all.
     */
    private int[] timestampDeltas;
    private long[] wideTimestamps;
    private long firstTimestamp;
    /** Per record, how long it waited for metadata; null until a record that waited joins (timings on only). */
    private long[] metadataWaits;
    private int count;

    /**
     * Made on first demand ({@link #completion()}): only a flush, a close or a split waits on a batch, and most
     * batches complete before anyone asks. {@link #completed} tells a late asker that it is already done.
     */
    private volatile CompletableFuture<Void> completion;
    private volatile boolean completed;

    @SuppressWarnings("unchecked")
    RecordSlots(int capacity) {
        this.futures = new CompletableFuture[capacity];
        this.callbacks = new Callback[capacity];
        this.timestampDeltas = new int[capacity];
    }

    int count() {
        return count;
    }

    int capacity() {
        return futures.length;
    }

    boolean isFull() {
        return count == futures.length;
    }

    /**
     * Room for the records still likely to fit, judged by the average size so far, instead of doubling
     * blindly: a batch of small records then grows its slot arrays once rather than three or four times
     * (each growth copies three arrays). Never less than half again, so a run of smaller records cannot
     * make it grow by one slot at a time.
     *
     * @param writtenBytes the records' bytes so far (without the batch header)
     * @param roomBytes    the bytes left in the batch's buffer
     */
    int grownCapacity(int writtenBytes, long roomBytes) {
        int recordCount = count;
        int averageRecordBytes = Math.max(1, writtenBytes / Math.max(1, recordCount));
        long likely = recordCount + 1 + roomBytes / averageRecordBytes;
        long atLeast = recordCount + Math.max(1, recordCount / 2);
        return (int) Math.min(Integer.MAX_VALUE - 8, Math.max(likely, atLeast));
    }

    /** Copies every array into room for {@code capacity} records. */
    void grow(int capacity) {
        futures = Arrays.copyOf(futures, capacity);
        callbacks = Arrays.copyOf(callbacks, capacity);
        if (timestampDeltas != null) {
            timestampDeltas = Arrays.copyOf(timestampDeltas, capacity);
        } else {
            wideTimestamps = Arrays.copyOf(wideTimestamps, capacity);
        }
        if (metadataWaits != null) {
            metadataWaits = Arrays.copyOf(metadataWaits, capacity);
        }
    }

    /** Takes the next slot; there must be room ({@link #isFull()} false). */
    void add(CompletableFuture<RecordMetadata> future, Callback callback, long timestamp, long metadataWaitMs) {
        if (metadataWaitMs > 0) {
            if (metadataWaits == null) {
                metadataWaits = new long[futures.length];
            }
            metadataWaits[count] = metadataWaitMs;
        }
        futures[count] = future;
        callbacks[count] = callback;
        storeTimestamp(timestamp);
        count++;
    }

    private void storeTimestamp(long timestamp) {
        if (count == 0) {
            firstTimestamp = timestamp;
        }
        long delta = timestamp - firstTimestamp; // wraps for extreme values, and unwraps in timestamp(i)
        if (timestampDeltas != null && delta == (int) delta) {
            timestampDeltas[count] = (int) delta;
            return;
        }
        if (timestampDeltas != null) {
            wideTimestamps = new long[timestampDeltas.length];
            for (int i = 0; i < count; i++) {
                wideTimestamps[i] = firstTimestamp + timestampDeltas[i];
            }
            timestampDeltas = null;
        }
        wideTimestamps[count] = timestamp;
    }

    CompletableFuture<RecordMetadata> future(int i) {
        return futures[i];
    }

    Callback callback(int i) {
        return callbacks[i];
    }

    long timestamp(int i) {
        return timestampDeltas != null ? firstTimestamp + timestampDeltas[i] : wideTimestamps[i];
    }

    boolean hasMetadataWaits() {
        return metadataWaits != null;
    }

    /** How long record {@code i} waited for metadata; 0 unless timings are on and it waited. */
    long metadataWait(int i) {
        return metadataWaits == null ? 0 : metadataWaits[i];
    }

    long longestMetadataWait() {
        long longest = 0;
        for (int i = 0; metadataWaits != null && i < count; i++) {
            longest = Math.max(longest, metadataWaits[i]);
        }
        return longest;
    }

    /**
     * Runs each record's callback and completes its future, in append order, with the batch's outcome: an
     * {@code error}, or else offsets from {@code baseOffset} (-1: unknown) and the broker's
     * {@code logAppendTimeMs} (-1: each record's own timestamp). Completion thread only, after the batch reached
     * a final state. The callback runs first, so a caller that waits on the future sees the callback's effects.
     */
    void complete(TopicPartition topicPartition, long baseOffset, long logAppendTimeMs, DeliveryTimings timings,
                  RuntimeException error, RecordCompletionListener listener) {
        try {
            for (int i = 0; i < count; i++) {
                if (error == null) {
                    long offset = baseOffset < 0 ? -1 : baseOffset + i;
                    long timestamp = logAppendTimeMs >= 0 ? logAppendTimeMs : timestamp(i);
                    RecordMetadata metadata = new RecordMetadata(topicPartition.topic(), topicPartition.partition(),
                            offset, timestamp, timings == null || !hasMetadataWaits()
                                    ? timings : timings.withMetadataWait(metadataWait(i)));
                    listener.onRecordCompleted(metadata, null, callbacks[i]);
                    futures[i].complete(metadata);
                } else {
                    listener.onRecordCompleted(null, error, callbacks[i]);
                    futures[i].completeExceptionally(error);
                }
                callbacks[i] = null; // lets go of the callback once it ran
            }
        } finally {
            markCompleted();
        }
    }

    /** Completes once every callback of the batch has run and every future is complete. */
    @SuppressWarnings("unchecked")
    CompletableFuture<Void> completion() {
        CompletableFuture<Void> existing = completion;
        if (existing != null) {
            return existing;
        }
        CompletableFuture<Void> fresh = new CompletableFuture<>();
        existing = (CompletableFuture<Void>) COMPLETION.compareAndExchange(this, null, fresh);
        if (existing != null) {
            return existing;
        }
        if (completed) {
            fresh.complete(null); // the batch completed before anyone asked
        }
        return fresh;
    }

    /**
     * Both sides write, then read what the other wrote (volatile): either this sees the future someone asked for,
     * or the asker sees {@link #completed}, so no future made on demand is left incomplete.
     */
    void markCompleted() {
        completed = true;
        CompletableFuture<Void> waiting = completion;
        if (waiting != null) {
            waiting.complete(null);
        }
    }
}
