package dev.courier.producer.internals.sender;

import dev.courier.producer.errors.ProducerClosedException;
import dev.courier.producer.internals.accumulator.PendingRecords.Pending;
import dev.courier.producer.internals.accumulator.ProducerBatch;
import dev.courier.producer.internals.accumulator.ProducerBatch.RecordCompletionListener;
import dev.courier.producer.internals.accumulator.RecordAccumulator;
import dev.courier.producer.internals.completion.CompletionDispatcher;
import dev.courier.producer.internals.metrics.ProducerMetrics;

/**
 * Decides how batches and waiting records end, once each, and hands them to the completion thread.
 *
 * <p>Called from the sender thread. A batch still referenced by an in-flight request keeps its
 * pooled buffer until that request completes; the response handler gives it back.
 */
public final class BatchOutcomes {

    private final RecordAccumulator accumulator;
    private final CompletionDispatcher dispatcher;
    private final RecordCompletionListener listener;
    private final ProducerMetrics metrics;
    private final DeliveryCounts counts = new DeliveryCounts();

    public BatchOutcomes(RecordAccumulator accumulator, CompletionDispatcher dispatcher,
                         RecordCompletionListener listener, ProducerMetrics metrics) {
        this.accumulator = accumulator;
        this.dispatcher = dispatcher;
        this.listener = listener;
        this.metrics = metrics;
    }

    public DeliveryCounts counts() {
        return counts;
    }

    public void succeed(ProducerBatch batch, long baseOffset, long logAppendTimeMs) {
        if (batch.succeed(baseOffset, logAppendTimeMs)) {
            counts.acknowledged.add(batch.recordCount());
            metrics.recordAcknowledged(batch.recordCount());
            finish(batch);
        }
    }

    /** Fails a batch for good; {@code wasSent} says whether a broker may have seen it. */
    public void fail(ProducerBatch batch, RuntimeException exception, boolean wasSent) {
        if (batch.fail(exception, wasSent)) {
            counts.failed.add(batch.recordCount());
            metrics.recordFailed(batch.recordCount());
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
            (mayHaveBeenWritten ? counts.abortedInFlight : counts.abortedBeforeSend).add(batch.recordCount());
            metrics.recordFailed(batch.recordCount());
            finish(batch);
        }
    }

    private void finish(ProducerBatch batch) {
        if (!batch.inFlight()) {
            accumulator.deallocate(batch);
        }
        dispatcher.dispatch(() -> {
            batch.completeRecords(listener);
            accumulator.completed(batch);
        });
    }

    /** Fails a record that never reached a batch, giving back the memory it held. */
    public void failPending(Pending pending, RuntimeException exception, boolean aborted) {
        accumulator.bufferPool().release(pending.reservedBytes());
        (aborted ? counts.abortedBeforeSend : counts.failed).increment();
        metrics.recordFailed(1);
        dispatcher.dispatch(() -> {
            listener.onRecordCompleted(null, exception, pending.callback());
            pending.future().completeExceptionally(exception);
        });
    }
}
