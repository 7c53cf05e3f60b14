package dev.courier.producer.internals.accumulator;

import dev.courier.producer.internals.metadata.TopicPartition;
import java.util.ArrayDeque;

/**
 * One partition's batches, oldest first, guarded by its own monitor (as any accumulator deque), and what its
 * batches held lately: a new batch sizes its record slots from that, so a steady stream of records fills its
 * slot arrays without growing them (growing copies three arrays).
 */
final class PartitionQueue extends ArrayDeque<ProducerBatch> {

    private static final long serialVersionUID = 1L;

    private final transient TopicPartition topicPartition;

    /** Records in this partition's latest batch that took no more appends; 0 before the first. Guarded by this. */
    private int recentBatchRecords;

    PartitionQueue(TopicPartition topicPartition) {
        this.topicPartition = topicPartition;
    }

    TopicPartition topicPartition() {
        return topicPartition;
    }

    /** Notes the records of a batch that takes no more appends (drained, or followed by a new batch). */
    void batchEnded(ProducerBatch batch) {
        recentBatchRecords = batch.recordCount();
    }

    /** Record slots for a new batch: as many as the latest batch held, never fewer than the default. */
    int recordSlotsForNewBatch() {
        return Math.max(ProducerBatch.INITIAL_RECORD_SLOTS, recentBatchRecords);
    }
}
