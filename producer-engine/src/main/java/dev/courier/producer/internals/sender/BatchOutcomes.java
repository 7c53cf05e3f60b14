package dev.courier.producer.internals.sender;

import dev.courier.producer.Callback;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.errors.ProducerClosedException;
import dev.courier.producer.errors.RecordPurgedException;
import dev.courier.producer.internals.admission.RecordLimit;
import dev.courier.producer.internals.accumulator.PendingRecords.Pending;
import dev.courier.producer.internals.accumulator.ProducerBatch;
import dev.courier.producer.internals.accumulator.ProducerBatch.RecordCompletionListener;
import dev.courier.producer.internals.accumulator.RecordAccumulator;
import dev.courier.producer.internals.completion.CompletionDispatcher;
import dev.courier.producer.internals.events.EngineEvents;
import dev.courier.producer.internals.metrics.DeliveryCounts;
import dev.courier.producer.internals.metrics.ProducerMetrics;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * The one path by which every record ends: batches, records that waited for metadata, and records
 * {@code send} refused on the caller's thread. Each ending is counted once in {@link DeliveryCounts}
 * (which {@code metrics()} and {@code status()} both read) and its callback and future complete on the
 * completion thread, never on the caller's or the sender's.
 *
 * <p>Called from the sender thread, except {@link #failRejected}. A batch still referenced by an in-flight request keeps its
 * pooled buffer until that request completes; the response handler gives it back.
 *
 * <p>Between {@link #holdCompletions()} and {@link #releaseCompletions()} (one produce response) the
 * finished batches are handed to the completion thread as one task, not one task per batch: fewer
 * queue operations and wake-ups, in the same order.
 *
 * <p>With {@code max.buffered.records} on, a record's slot is given back here, once, when its outcome is
 * decided (before its callback is queued): never by the completion thread, so a callback that sends cannot
 * wait for a slot only it would free.
 */
public final class BatchOutcomes {

    private final RecordAccumulator accumulator;
    private final CompletionDispatcher dispatcher;
    private final RecordCompletionListener listener;
    private final ProducerMetrics metrics;
    private final DeliveryCounts counts;
    /** Null when max.buffered.records is off. */
    private final RecordLimit recordLimit;
    private final EngineEvents events;

    // sender thread only
    private boolean holding;
    private ProducerBatch[] held = new ProducerBatch[8];
    private int heldCount;

    public BatchOutcomes(RecordAccumulator accumulator, CompletionDispatcher dispatcher,
                         RecordCompletionListener listener, ProducerMetrics metrics, DeliveryCounts counts) {
        this(accumulator, dispatcher, listener, metrics, counts, null);
    }

    /** @param recordLimit max.buffered.records, or null when it is off */
    public BatchOutcomes(RecordAccumulator accumulator, CompletionDispatcher dispatcher,
                         RecordCompletionListener listener, ProducerMetrics metrics, DeliveryCounts counts,
                         RecordLimit recordLimit) {
        this(accumulator, dispatcher, listener, metrics, counts, recordLimit, EngineEvents.NONE);
    }

    /** @param events told of every batch that ends (succeeds or fails) */
    public BatchOutcomes(RecordAccumulator accumulator, CompletionDispatcher dispatcher,
                         RecordCompletionListener listener, ProducerMetrics metrics, DeliveryCounts counts,
                         RecordLimit recordLimit, EngineEvents events) {
        this.events = events;
        this.recordLimit = recordLimit;
        this.accumulator = accumulator;
        this.counts = counts;
        this.dispatcher = dispatcher;
        this.listener = listener;
        this.metrics = metrics;
    }

    public DeliveryCounts counts() {
        return counts;
    }

    public void succeed(ProducerBatch batch, long baseOffset, long logAppendTimeMs) {
        if (batch.succeed(baseOffset, logAppendTimeMs)) {
            counts.addAcknowledged(batch.recordCount());
            metrics.recordAcknowledged(batch.recordCount());
            releaseSlots(batch.recordCount());
            events.batchCompleted(batch);
            finish(batch);
        }
    }

    /** Fails a batch for good; {@code wasSent} says whether a broker may have seen it. */
    public void fail(ProducerBatch batch, RuntimeException exception, boolean wasSent) {
        if (batch.fail(exception, wasSent)) {
            counts.addFailed(batch.recordCount());
            metrics.recordFailed(batch.recordCount());
            releaseSlots(batch.recordCount());
            events.batchCompleted(batch);
            finish(batch);
        }
    }

    /** Fails a batch because the producer was closed forcibly. */
    public void abort(ProducerBatch batch, boolean mayHaveBeenWritten) {
        String what = mayHaveBeenWritten ? "while in flight; the broker may or may not have written it"
                : "before it was sent";
        ProducerClosedException exception = new ProducerClosedException("Producer closed forcibly: batch for "
                + batch.topicPartition() + " aborted " + what);
        if (batch.fail(exception, mayHaveBeenWritten)) {
            counts.addAborted(batch.recordCount(), mayHaveBeenWritten);
            metrics.recordFailed(batch.recordCount());
            releaseSlots(batch.recordCount());
            events.batchCompleted(batch);
            finish(batch);
        }
    }

    /**
     * Fails a queued batch that was never sent, for {@code purge()} (sender thread).
     *
     * @return the records it failed (0 if the batch had already ended)
     */
    public int purge(ProducerBatch batch) {
        if (batch.fail(purgedException(batch.topicPartition().toString()), false)) {
            counts.addPurged(batch.recordCount());
            metrics.recordFailed(batch.recordCount());
            releaseSlots(batch.recordCount());
            events.batchCompleted(batch);
            finish(batch);
            return batch.recordCount();
        }
        return 0;
    }

    /** Fails a record that was waiting for its topic's metadata, for {@code purge()} (sender thread). */
    public void purgePending(Pending pending) {
        accumulator.bufferPool().release(pending.reservedBytes());
        counts.addPurged(1);
        metrics.recordFailed(1);
        releaseSlots(1);
        dispatchFailure(pending.future(), pending.callback(), purgedException("topic " + pending.topic()));
    }

    private static RecordPurgedException purgedException(String where) {
        return new RecordPurgedException("Record for " + where + " purged before it was sent");
    }

    private void releaseSlots(int records) {
        if (recordLimit != null) {
            recordLimit.release(records);
        }
    }

    private void finish(ProducerBatch batch) {
        if (holding) {
            if (heldCount == held.length) {
                held = Arrays.copyOf(held, heldCount * 2);
            }
            held[heldCount++] = batch;
            return;
        }
        accumulator.deallocate(batch);
        dispatcher.dispatch(() -> complete(batch));
    }

    private void complete(ProducerBatch batch) {
        batch.completeRecords(listener);
        accumulator.completed(batch);
    }

    /**
     * From now until {@link #releaseCompletions()}, finished batches are collected (sender thread). Only
     * produce-response handling holds, and it never fails waiting records ({@link #failPending}), so
     * hand-over order is kept without special cases.
     */
    public void holdCompletions() {
        holding = true;
    }

    /**
     * Gives back the buffers of the batches finished since {@link #holdCompletions()} in one pool operation,
     * then hands the batches over as one task (sender thread).
     */
    public void releaseCompletions() {
        holding = false;
        int count = heldCount;
        if (count == 0) {
            return;
        }
        accumulator.deallocate(held, count);
        if (count == 1) {
            ProducerBatch batch = held[0];
            dispatcher.dispatch(() -> complete(batch));
        } else {
            ProducerBatch[] group = Arrays.copyOf(held, count);
            dispatcher.dispatch(() -> {
                for (ProducerBatch batch : group) {
                    complete(batch);
                }
            });
        }
        Arrays.fill(held, 0, count, null);
        heldCount = 0;
    }

    /** Fails a record that never reached a batch, giving back the memory it held. */
    public void failPending(Pending pending, RuntimeException exception, boolean aborted) {
        accumulator.bufferPool().release(pending.reservedBytes());
        if (aborted) {
            counts.addAborted(1, false);
        } else {
            counts.addFailed(1);
        }
        metrics.recordFailed(1);
        releaseSlots(1);
        dispatchFailure(pending.future(), pending.callback(), exception);
    }

    /**
     * Fails a record that {@code send} refused before accepting it (too large, not serializable, no memory
     * in time, a partitioner that threw). Any thread; it holds no memory.
     */
    public void failRejected(CompletableFuture<RecordMetadata> future, Callback callback, RuntimeException exception) {
        counts.addFailed(1);
        metrics.recordFailed(1);
        dispatchFailure(future, callback, exception);
    }

    private void dispatchFailure(CompletableFuture<RecordMetadata> future, Callback callback,
                                 RuntimeException exception) {
        dispatcher.dispatch(() -> {
            listener.onRecordCompleted(null, exception, callback);
            future.completeExceptionally(exception);
        });
    }
}
