package dev.courier.producer.internals.sender;

import dev.courier.producer.internals.accumulator.PendingRecords;
import dev.courier.producer.internals.accumulator.PendingRecords.Pending;
import dev.courier.producer.internals.accumulator.ProducerBatch;
import dev.courier.producer.internals.accumulator.RecordAccumulator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * {@code purge()}: fails every record that is buffered and not yet sent, on the sender thread.
 *
 * <p>Why on the sender thread: it is the only thread that drains the accumulator, so a batch it finds queued
 * with no attempt cannot be half-way into a request, and a record waiting for metadata cannot be moving into
 * a batch. A caller hands a request over ({@link #request()}); the sender serves it at the start of its next
 * turn ({@link #runRequested()}), before anything is drained.
 *
 * <p>What is purged: queued batches never drained, and records waiting for their topic's metadata. What is
 * left alone: batches in flight and batches queued for a retry (a broker may have seen them), and records a
 * caller is still blocked adding (they were not buffered yet).
 */
final class RecordPurger {

    private final ConcurrentLinkedQueue<CompletableFuture<Integer>> requests = new ConcurrentLinkedQueue<>();
    private final RecordAccumulator accumulator;
    private final PendingRecords pending;
    private final BatchOutcomes outcomes;

    RecordPurger(RecordAccumulator accumulator, PendingRecords pending, BatchOutcomes outcomes) {
        this.accumulator = accumulator;
        this.pending = pending;
        this.outcomes = outcomes;
    }

    /** Any thread: a purge the sender will run; completes with how many records it failed. */
    CompletableFuture<Integer> request() {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        requests.add(result);
        return result;
    }

    /** Sender thread: serves the requests made so far; costs one empty-queue check when there are none. */
    void runRequested() {
        CompletableFuture<Integer> request;
        while ((request = requests.poll()) != null) {
            try {
                request.complete(purgeNow());
            } catch (RuntimeException e) {
                request.completeExceptionally(e);
            }
        }
    }

    private int purgeNow() {
        int purged = 0;
        for (Pending record : pending.removeAll()) {
            outcomes.purgePending(record);
            purged++;
        }
        for (ProducerBatch batch : accumulator.removeUnsent()) {
            purged += outcomes.purge(batch);
        }
        return purged;
    }
}
