package dev.courier.producer.internals.transaction;

import dev.courier.producer.internals.metadata.TopicPartition;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The partitions of the current transaction, by how far the coordinator knows of them: added (their batches
 * may be drained), queued (the drain gate met them for the first time; AddPartitionsToTxn not sent yet) and
 * being added (AddPartitionsToTxn sent, no answer yet). Under transactions v2 the produce request adds a
 * partition itself, so partitions go straight to added.
 *
 * <p>Owned by the {@link TransactionManager} and guarded by its lock: the sender thread reaches it through the
 * drain gate, the AddPartitionsToTxn request ({@link CoordinatorRequests}) and its answer; the caller's thread
 * through an abort, which drops what is queued.
 */
final class TransactionPartitions {

    private final Set<TopicPartition> added = new HashSet<>();
    private final Set<TopicPartition> queued = new LinkedHashSet<>();
    private final Set<TopicPartition> adding = new LinkedHashSet<>();

    /** Whether {@code tp} is part of the transaction, so its batches may go. */
    boolean isAdded(TopicPartition tp) {
        return added.contains(tp);
    }

    void added(TopicPartition tp) {
        added.add(tp);
    }

    /**
     * Queues a partition met for the first time for AddPartitionsToTxn, unless it is queued or being added.
     *
     * @return whether it was newly queued (the sender should wake up to send the request)
     */
    boolean queue(TopicPartition tp) {
        return !adding.contains(tp) && queued.add(tp);
    }

    /** Queues {@code tp} again after a retriable error in the answer. */
    void retry(TopicPartition tp) {
        queued.add(tp);
    }

    boolean anyQueued() {
        return !queued.isEmpty();
    }

    /** A copy of the queued partitions, in the order the drain gate met them: the next AddPartitionsToTxn's. */
    Set<TopicPartition> queuedNow() {
        return new LinkedHashSet<>(queued);
    }

    /** AddPartitionsToTxn for {@code partitions} went out. */
    void sent(Set<TopicPartition> partitions) {
        queued.removeAll(partitions);
        adding.addAll(partitions);
    }

    /** AddPartitionsToTxn for {@code partitions} got no answer: queue them again. */
    void notDelivered(Set<TopicPartition> partitions) {
        adding.removeAll(partitions);
        queued.addAll(partitions);
    }

    /** The answer to AddPartitionsToTxn for {@code partitions} arrived; each is then added or retried. */
    void answered(Set<TopicPartition> partitions) {
        adding.removeAll(partitions);
    }

    /** The transaction is aborting or failed: nothing more to add. */
    void dropQueued() {
        queued.clear();
    }

    /** The transaction ended. */
    void clear() {
        added.clear();
        queued.clear();
        adding.clear();
    }

    /** The added partitions. */
    @Override
    public String toString() {
        return added.toString();
    }
}
