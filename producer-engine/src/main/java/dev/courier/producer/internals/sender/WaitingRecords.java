package dev.courier.producer.internals.sender;

import dev.courier.producer.internals.accumulator.PendingRecords;
import dev.courier.producer.internals.accumulator.ProducerBatch;
import dev.courier.producer.internals.accumulator.RecordAccumulator;

/**
 * The records that have not gone out (queued batches, and records still waiting for metadata), for an identity
 * that must end them all with one error: an aborted or failed transaction, or a cluster that refuses the producer
 * an id. A queued batch with a sequence is a resend the broker may already have, so its sequences are settled
 * first. Sender thread only.
 */
final class WaitingRecords {

    private final RecordAccumulator accumulator;
    private final PendingRecords pending;
    private final BatchOutcomes outcomes;
    private final IdempotenceManager sequences;

    WaitingRecords(RecordAccumulator accumulator, PendingRecords pending, BatchOutcomes outcomes,
                   IdempotenceManager sequences) {
        this.accumulator = accumulator;
        this.pending = pending;
        this.outcomes = outcomes;
        this.sequences = sequences;
    }

    /** Ends every record not yet sent with {@code failure}. */
    void failAll(RuntimeException failure) {
        for (ProducerBatch batch : accumulator.drainAll()) {
            if (batch.hasSequence()) {
                sequences.failedAfterSequencing(batch);
            }
            outcomes.fail(batch, failure, batch.attempts() > 0);
        }
        for (PendingRecords.Pending record : pending.removeAll()) {
            outcomes.failPending(record, failure, false);
        }
    }

    /** Whether records are queued or waiting for metadata. */
    boolean any() {
        return accumulator.hasUndrained() || !pending.isEmpty();
    }
}
