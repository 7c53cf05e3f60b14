package dev.courier.producer.internals.accumulator;

import dev.courier.producer.internals.accumulator.RecordAccumulator.ReadyCheck;
import dev.courier.producer.internals.metadata.Cluster;
import dev.courier.producer.internals.metadata.Node;
import dev.courier.producer.internals.metadata.TopicPartition;
import java.util.HashSet;
import java.util.Set;

/**
 * The accumulator's {@link RecordAccumulator#ready ready check}: which leaders have a sendable head batch, and
 * when to look again.
 *
 * <p>Sender thread only; owned by the {@link RecordAccumulator}, which passes in the pool and flush state it
 * reads. Locking: holds each partition's deque monitor only while it reads that partition's head batch
 * and asks the gate about it.
 */
final class ReadyChecker {

    private final PartitionQueues queues;
    private final int batchSize;
    private final long lingerMs;
    private final long deliveryTimeoutMs;
    /** The set {@link #check} returns when it finds a node: reused (sender thread). */
    private final Set<Node> readyScratch = new HashSet<>();

    ReadyChecker(PartitionQueues queues, int batchSize, long lingerMs, long deliveryTimeoutMs) {
        this.queues = queues;
        this.batchSize = batchSize;
        this.lingerMs = lingerMs;
        this.deliveryTimeoutMs = deliveryTimeoutMs;
    }

    /**
     * See {@link RecordAccumulator#ready(Cluster, long, DrainGate)}.
     *
     * @param exhausted whether callers wait for pool memory: every batch is then sendable
     * @param flushing  whether a flush is in progress or the producer is closing: likewise
     */
    ReadyCheck check(Cluster cluster, long nowMs, DrainGate gate, boolean exhausted, boolean flushing) {
        // Both made only when needed: the sender checks several times per request, mostly finding nothing.
        Set<Node> readyNodes = null;
        Set<String> unknownLeaderTopics = null;
        long nextReadyCheckDelayMs = Long.MAX_VALUE;
        for (PartitionQueue deque : queues.all()) {
            TopicPartition tp = deque.topicPartition();
            boolean full;
            long waitedMs;
            long timeToWaitMs;
            boolean backingOff;
            Node leader = cluster.leaderFor(tp);
            synchronized (deque) {
                ProducerBatch first = deque.peekFirst();
                if (first == null) {
                    continue;
                }
                if (leader != null && !gate.mayDrain(first, leader.id())) {
                    // The gate opens on a response, which wakes the sender; look again by the batch's expiry.
                    nextReadyCheckDelayMs = Math.min(nextReadyCheckDelayMs,
                            Math.max(0, first.createdMs() + deliveryTimeoutMs - nowMs));
                    continue;
                }
                full = deque.size() > 1 || first.isFull(batchSize);
                backingOff = first.attempts() > 0 && first.isBackingOff(nowMs);
                waitedMs = nowMs - first.createdMs();
                timeToWaitMs = backingOff ? first.retryNotBeforeMs() - nowMs : lingerMs - waitedMs;
            }
            if (leader == null) {
                if (unknownLeaderTopics == null) {
                    unknownLeaderTopics = new HashSet<>();
                }
                unknownLeaderTopics.add(tp.topic());
                continue;
            }
            if (readyNodes != null && readyNodes.contains(leader)) {
                continue;
            }
            boolean sendable = full || timeToWaitMs <= 0 || exhausted || flushing;
            if (sendable && !backingOff) {
                if (readyNodes == null) {
                    readyNodes = readyScratch;
                    readyNodes.clear();
                }
                readyNodes.add(leader);
            } else {
                nextReadyCheckDelayMs = Math.min(nextReadyCheckDelayMs, Math.max(timeToWaitMs, 0));
            }
        }
        return new ReadyCheck(readyNodes == null ? Set.of() : readyNodes, nextReadyCheckDelayMs,
                unknownLeaderTopics == null ? Set.of() : unknownLeaderTopics);
    }
}
