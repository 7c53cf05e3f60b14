package dev.courier.producer.internals.sender;

import dev.courier.producer.internals.accumulator.ProducerBatch;
import dev.courier.producer.internals.protocol.Errors;

/**
 * The idempotent producer ({@code enable.idempotence}): a producer id from InitProducerId, and sequence
 * numbers kept by {@link IdempotenceManager}.
 */
final class IdempotentIdentity implements ProducerIdentity {

    private final IdempotenceManager sequences;
    private final ProducerIdRequester producerIdRequester;
    private final InFlightBatches inFlight;
    private final WaitingRecords waiting;

    IdempotentIdentity(IdempotenceManager sequences, ProducerIdRequester producerIdRequester,
                       InFlightBatches inFlight, WaitingRecords waiting) {
        this.sequences = sequences;
        this.producerIdRequester = producerIdRequester;
        this.inFlight = inFlight;
        this.waiting = waiting;
    }

    @Override
    public boolean mayDrain(ProducerBatch first, int leaderId) {
        return sequences.mayDrain(first, leaderId);
    }

    @Override
    public void prepare(ProducerBatch batch) {
        sequences.prepare(batch);
    }

    /**
     * Settles partitions whose sequences are in doubt, bumps the epoch if due, asks for a producer id; while
     * the cluster refuses one (not authorized), fails the records waiting for it.
     */
    @Override
    public long maintain(long nowMs) {
        sequences.resolveSequences();
        sequences.maybeBump(!inFlight.isEmpty());
        RuntimeException refusal = producerIdRequester.refusal();
        if (refusal != null && sequences.needsProducerId()) {
            waiting.failAll(refusal);
        }
        return producerIdRequester.maybeRequest(nowMs);
    }

    @Override
    public String transactionalId() {
        return null;
    }

    @Override
    public void onAcknowledged(ProducerBatch batch) {
        sequences.acknowledged(batch);
    }

    @Override
    public void onFailed(ProducerBatch batch) {
        if (batch.hasSequence()) {
            sequences.failedAfterSequencing(batch);
        }
    }

    @Override
    public Verdict onError(ProducerBatch batch, Errors error) {
        return batch.hasSequence() ? sequences.onError(batch, error) : null;
    }

    @Override
    public String holdReason() {
        String error = producerIdRequester.lastError();
        return error == null ? null : "the producer has no producer id yet: " + error;
    }
}
