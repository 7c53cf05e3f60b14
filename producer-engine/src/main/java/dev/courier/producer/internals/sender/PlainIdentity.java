package dev.courier.producer.internals.sender;

import dev.courier.producer.internals.accumulator.ProducerBatch;
import dev.courier.producer.internals.protocol.Errors;

/** A producer without idempotence: every batch may go, unstamped, and errors follow the error table. */
final class PlainIdentity implements ProducerIdentity {

    @Override
    public boolean mayDrain(ProducerBatch first, int leaderId) {
        return true;
    }

    @Override
    public void prepare(ProducerBatch batch) {
    }

    @Override
    public long maintain(long nowMs) {
        return Long.MAX_VALUE;
    }

    @Override
    public String transactionalId() {
        return null;
    }

    @Override
    public void onAcknowledged(ProducerBatch batch) {
    }

    @Override
    public void onFailed(ProducerBatch batch) {
    }

    @Override
    public Verdict onError(ProducerBatch batch, Errors error) {
        return null;
    }

    @Override
    public String holdReason() {
        return null;
    }
}
