package dev.courier.producer.internals.sender;

import dev.courier.producer.errors.BufferExhaustedException;
import dev.courier.producer.errors.TimeoutException;
import dev.courier.producer.internals.accumulator.PendingRecords;
import dev.courier.producer.internals.accumulator.PendingRecords.Decision;
import dev.courier.producer.internals.accumulator.PendingRecords.Pending;
import dev.courier.producer.internals.accumulator.RecordAccumulator;
import dev.courier.producer.internals.metadata.Cluster;
import dev.courier.producer.internals.metadata.Metadata;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.partition.RecordPartitioner;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.record.RecordBatchBuilder;

/**
 * Moves records that waited for metadata into the accumulator once their topic (and partition) is
 * known, and fails those still waiting after {@code max.block.ms}. Sender thread only.
 */
final class PendingRecordMover {

    private final PendingRecords pending;
    private final RecordAccumulator accumulator;
    private final RecordPartitioner partitioner;
    private final Metadata metadata;
    private final BatchOutcomes outcomes;
    private final long maxBlockMs;
    /** delivery.timings.enable: tell the batch how long each record waited. */
    private final boolean timed;

    PendingRecordMover(PendingRecords pending, RecordAccumulator accumulator, RecordPartitioner partitioner,
                       Metadata metadata, BatchOutcomes outcomes, long maxBlockMs, boolean timed) {
        this.timed = timed;
        this.pending = pending;
        this.accumulator = accumulator;
        this.partitioner = partitioner;
        this.metadata = metadata;
        this.outcomes = outcomes;
        this.maxBlockMs = maxBlockMs;
    }

    /**
     * Moves or expires what it can.
     *
     * @return ms until the next waiting record runs out of time, or Long.MAX_VALUE
     */
    long moveReady(long nowMs) {
        if (pending.isEmpty()) {
            return Long.MAX_VALUE;
        }
        Cluster cluster = metadata.fetch();
        for (String topic : pending.topics()) {
            pending.drainTopic(topic, record -> decide(record, cluster, nowMs));
        }
        long earliest = pending.earliestEnqueuedMs();
        return earliest == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, earliest + maxBlockMs - nowMs);
    }

    /** Fails every waiting record (forced close). */
    void abortAll() {
        for (Pending record : pending.removeAll()) {
            outcomes.failPending(record, new dev.courier.producer.errors.ProducerClosedException(
                    "Producer closed forcibly before metadata for topic " + record.topic() + " arrived"), true);
        }
    }

    private Decision decide(Pending record, Cluster cluster, long nowMs) {
        String topic = record.topic();
        RuntimeException authenticationFailure = metadata.authenticationFailure();
        if (authenticationFailure != null) {
            outcomes.failPending(record, authenticationFailure, false);
            return Decision.DROPPED;
        }
        Errors topicError = metadata.topicError(topic);
        if (topicError == Errors.INVALID_TOPIC_EXCEPTION || topicError == Errors.TOPIC_AUTHORIZATION_FAILED) {
            outcomes.failPending(record, topicError.toException("cannot send to topic " + topic), false);
            return Decision.DROPPED;
        }
        boolean outOfTime = nowMs - record.enqueuedMs() >= maxBlockMs;
        int partition;
        try {
            partition = partitioner.partition(topic, record.partition(), record.key(), record.keyBytes(),
                    record.value(), record.valueBytes(), cluster);
        } catch (RuntimeException e) {
            outcomes.failPending(record, e, false);
            return Decision.DROPPED;
        }
        if (partition == RecordPartitioner.UNKNOWN) {
            if (outOfTime) {
                outcomes.failPending(record, new TimeoutException(notInMetadata(record, cluster)), false);
                return Decision.DROPPED;
            }
            metadata.add(topic, nowMs);
            return Decision.WAIT;
        }
        boolean appended = accumulator.appendReserved(new TopicPartition(topic, partition), record.timestamp(),
                record.keyBytes(), record.valueBytes(), record.headers(), record.future(), record.callback(),
                record.reservedBytes(), nowMs, timed ? Math.max(0, nowMs - record.enqueuedMs()) : 0);
        if (appended) {
            if (partitioner.usesSticky(record.partition(), record.keyBytes())) {
                partitioner.onAppend(topic, partition, record.reservedBytes() - RecordBatchBuilder.BATCH_HEADER_SIZE, false,
                        cluster);
            }
            return Decision.MOVED;
        }
        if (outOfTime) {
            outcomes.failPending(record, new BufferExhaustedException("Failed to allocate memory for a record of topic "
                    + topic + " within " + maxBlockMs + " ms (max.block.ms)"), false);
            return Decision.DROPPED;
        }
        return Decision.WAIT;
    }

    private String notInMetadata(Pending record, Cluster cluster) {
        Integer count = cluster.partitionCountForTopic(record.topic());
        if (record.partition() != null && count != null) {
            return "Partition " + record.partition() + " of topic " + record.topic() + " with partition count "
                    + count + " is not present in metadata after " + maxBlockMs + " ms (max.block.ms).";
        }
        return "Topic " + record.topic() + " not present in metadata after " + maxBlockMs + " ms (max.block.ms).";
    }
}
