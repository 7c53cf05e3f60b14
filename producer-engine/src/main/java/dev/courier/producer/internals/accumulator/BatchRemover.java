package dev.courier.producer.internals.accumulator;

import dev.courier.producer.internals.metadata.Cluster;
import dev.courier.producer.internals.metadata.Node;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * Takes queued batches out of their queues other than by draining them for a request: those past
 * {@code delivery.timeout.ms}, those led by a node the client cannot use, the never-sent ones (purge) and all
 * of them (forced close). The caller ends what it gets back.
 *
 * <p>Sender thread only, the only thread that drains; holds no state but its setting. Owned by the
 * {@link RecordAccumulator}. Locking: removes under each partition's deque monitor, one deque at a time.
 */
final class BatchRemover {

    private final PartitionQueues queues;
    private final long deliveryTimeoutMs;

    BatchRemover(PartitionQueues queues, long deliveryTimeoutMs) {
        this.queues = queues;
        this.deliveryTimeoutMs = deliveryTimeoutMs;
    }

    /** Removes and returns queued batches older than {@code delivery.timeout.ms} (sender thread). */
    List<ProducerBatch> expiredBatches(long nowMs) {
        List<ProducerBatch> expired = null;
        for (PartitionQueue deque : queues.all()) {
            synchronized (deque) {
                ProducerBatch first = deque.peekFirst();
                if (first == null || nowMs - first.createdMs() < deliveryTimeoutMs) {
                    continue; // the usual case, without an iterator
                }
                if (expired == null) {
                    expired = new ArrayList<>();
                }
                Iterator<ProducerBatch> it = deque.iterator();
                while (it.hasNext()) {
                    ProducerBatch batch = it.next();
                    if (nowMs - batch.createdMs() < deliveryTimeoutMs) {
                        break;
                    }
                    it.remove();
                    expired.add(batch);
                }
            }
        }
        return expired == null ? List.of() : expired;
    }

    /**
     * Removes and returns the queued batches of the partitions {@code cluster} says {@code leader} leads
     * (sender thread), e.g. because the client cannot authenticate to it.
     */
    List<ProducerBatch> removeBatchesLedBy(Cluster cluster, int leader) {
        List<ProducerBatch> removed = new ArrayList<>();
        for (PartitionQueue deque : queues.values()) {
            Node node = cluster.leaderFor(deque.topicPartition());
            if (node == null || node.id() != leader) {
                continue;
            }
            synchronized (deque) {
                removed.addAll(deque);
                deque.clear();
            }
        }
        return removed;
    }

    /**
     * Removes every queued batch that was never sent (purge; sender thread): never drained, so no attempt and
     * no sequence number (a retry is re-queued only after {@link ProducerBatch#backOff}, which counts an
     * attempt). Retries stay where they are; never-sent batches queued behind them go too.
     *
     * <p>Why this is safe: like {@link #expiredBatches}, it removes under each deque's monitor on the sender
     * thread, the only thread that drains. A caller appending concurrently either appended before (its record
     * is purged) or finds the deque without that batch and opens a new one (its record is kept).
     */
    List<ProducerBatch> removeUnsent() {
        List<ProducerBatch> unsent = new ArrayList<>();
        for (Deque<ProducerBatch> deque : queues.values()) {
            synchronized (deque) {
                for (Iterator<ProducerBatch> it = deque.iterator(); it.hasNext(); ) {
                    ProducerBatch batch = it.next();
                    if (batch.attempts() == 0 && !batch.hasSequence()) {
                        it.remove();
                        unsent.add(batch);
                    }
                }
            }
        }
        return unsent;
    }

    /** Removes every queued batch (forced close; sender thread). */
    List<ProducerBatch> removeAll() {
        List<ProducerBatch> all = new ArrayList<>();
        for (Deque<ProducerBatch> deque : queues.values()) {
            synchronized (deque) {
                all.addAll(deque);
                deque.clear();
            }
        }
        return all;
    }
}
