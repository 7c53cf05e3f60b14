package dev.courier.producer.internals.accumulator;

/**
 * The sender's say in which batches leave the accumulator: the idempotent producer holds a partition
 * back while its sequence numbers are unsettled, or while its in-flight batches went to another node,
 * and stamps each batch with its sequence before it is encoded.
 *
 * <p>Called on the sender thread only, while the partition's deque monitor is held for
 * {@link #mayDrain}; implementations must be quick and must not call back into the accumulator.
 */
public interface DrainGate {

    /** Every batch may go, untouched: the producer is not idempotent. */
    DrainGate OPEN = new DrainGate() {
        @Override
        public boolean mayDrain(ProducerBatch first, int leaderId) {
            return true;
        }

        @Override
        public void prepare(ProducerBatch batch) {
        }
    };

    /** Whether the head batch of its partition may be sent to {@code leaderId} now. */
    boolean mayDrain(ProducerBatch first, int leaderId);

    /** Called for each drained batch after it left its queue and before it is encoded. */
    void prepare(ProducerBatch batch);
}
