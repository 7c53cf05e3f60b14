package dev.courier.producer.internals.accumulator;

import dev.courier.producer.internals.metadata.Cluster;
import dev.courier.producer.internals.metadata.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The accumulator's {@link RecordAccumulator#drain drain}: takes the head batches of ready nodes' partitions, up
 * to max.request.size per node, round-robin over each node's partitions, and encodes them.
 *
 * <p>Sender thread only: every field here is the sender's, kept between drains (the round-robin position) or
 * reused to spare allocations. Owned by the {@link RecordAccumulator}, which it calls back only to put batches
 * back after a drain failed half-way. Locking: takes each partition's deque monitor to look at and poll its head
 * batch; encoding and the gate's {@link DrainGate#prepare} happen outside it.
 */
final class BatchDrainer {

    private final PartitionQueues queues;
    private final BatchSizer sizer;
    /** For {@link #putBack} only. */
    private final RecordAccumulator accumulator;

    private final Map<Integer, Integer> drainIndexByNode = new HashMap<>();
    /** Node id -> the queues of its partitions, refilled by every drain: kept to spare a map per loop. */
    private final Map<Integer, List<PartitionQueue>> drainScratch = new HashMap<>();
    /** The map {@link #drain} returns: reused. */
    private final Map<Integer, List<ProducerBatch>> drainedScratch = new HashMap<>();
    /** Whether the last drain left a batch behind in a partition of a node it drained for. */
    private boolean drainLeftBatches;

    BatchDrainer(PartitionQueues queues, BatchSizer sizer, RecordAccumulator accumulator) {
        this.queues = queues;
        this.sizer = sizer;
        this.accumulator = accumulator;
    }

    /** See {@link RecordAccumulator#drain(Cluster, Set, int, long, DrainGate)}. */
    Map<Integer, List<ProducerBatch>> drain(Cluster cluster, Set<Node> readyNodes, int maxRequestSize, long nowMs,
                                            DrainGate gate) {
        drainLeftBatches = false;
        if (readyNodes.isEmpty()) {
            return Collections.emptyMap();
        }
        // The queues themselves, not their partitions: a drain never looks a queue up again by partition.
        Map<Integer, List<PartitionQueue>> queuesByNode = drainScratch;
        for (List<PartitionQueue> nodeQueues : queuesByNode.values()) {
            nodeQueues.clear();
        }
        for (PartitionQueue queue : queues.all()) {
            Node leader = cluster.leaderFor(queue.topicPartition());
            if (leader != null && readyNodes.contains(leader)) {
                queuesByNode.computeIfAbsent(leader.id(), id -> new ArrayList<>()).add(queue);
            }
        }
        Map<Integer, List<ProducerBatch>> drained = null;
        List<ProducerBatch> forNode = null;
        try {
            for (Map.Entry<Integer, List<PartitionQueue>> entry : queuesByNode.entrySet()) {
                if (entry.getValue().isEmpty()) {
                    continue;
                }
                forNode = new ArrayList<>();
                drainForNode(entry.getKey(), entry.getValue(), maxRequestSize, nowMs, gate, forNode);
                if (!forNode.isEmpty()) {
                    if (drained == null) {
                        drained = drainedScratch;
                        drained.clear();
                    }
                    drained.put(entry.getKey(), forNode);
                }
                forNode = null;
            }
        } catch (RuntimeException | Error e) {
            putBack(drained, forNode);
            throw e;
        }
        if (queuesByNode.size() > 64) {
            queuesByNode.clear(); // brokers come and go; do not keep lists for every one ever seen
        }
        return drained == null ? Collections.emptyMap() : drained;
    }

    /** See {@link RecordAccumulator#drainLeftBatches()}. */
    boolean drainLeftBatches() {
        return drainLeftBatches;
    }

    /**
     * A drain that fails half-way (a bug: nothing in it should throw) gives back what it took, so that those
     * batches are sent by a later drain or expire, instead of leaving their futures incomplete forever. Each
     * partition gave at most one batch, so putting them back at the heads of their queues keeps the order.
     */
    private void putBack(Map<Integer, List<ProducerBatch>> drained, List<ProducerBatch> partial) {
        if (drained != null) {
            for (List<ProducerBatch> taken : drained.values()) {
                taken.forEach(accumulator::reenqueue);
            }
            drained.clear();
        }
        if (partial != null) {
            partial.forEach(accumulator::reenqueue);
        }
    }

    /** Adds to {@code ready} the batches to send to {@code nodeId}, as they are taken (see {@link #putBack}). */
    private void drainForNode(int nodeId, List<PartitionQueue> nodeQueues, int maxRequestSize, long nowMs,
                              DrainGate gate, List<ProducerBatch> ready) {
        int size = 0;
        int count = nodeQueues.size();
        int start = drainIndexByNode.getOrDefault(nodeId, 0) % count;
        // The next drain starts just after the last partition drained now, so a partition that did not
        // fit this request goes first in the next one.
        int nextStart = start;
        for (int step = 0; step < count; step++) {
            int index = (start + step) % count;
            PartitionQueue deque = nodeQueues.get(index);
            ProducerBatch batch;
            synchronized (deque) {
                ProducerBatch first = deque.peekFirst();
                if (first == null) {
                    continue;
                }
                if ((first.attempts() > 0 && first.isBackingOff(nowMs)) || !gate.mayDrain(first, nodeId)) {
                    drainLeftBatches = true;
                    continue;
                }
                int estimate = first.isClosed() ? first.encodedSizeInBytes() : sizer.estimatedEncodedSize(first);
                if (!ready.isEmpty() && size + estimate > maxRequestSize) {
                    drainLeftBatches = true;
                    break;
                }
                batch = deque.pollFirst();
                deque.batchEnded(batch);
                if (!deque.isEmpty()) {
                    drainLeftBatches = true;
                }
            }
            ready.add(batch);
            gate.prepare(batch);
            if (!batch.isClosed()) {
                batch.close();
                sizer.learn(batch);
            }
            size += batch.encodedSizeInBytes();
            nextStart = (index + 1) % count;
        }
        drainIndexByNode.put(nodeId, nextStart);
    }
}
