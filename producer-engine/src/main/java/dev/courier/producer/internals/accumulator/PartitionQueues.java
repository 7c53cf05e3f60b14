package dev.courier.producer.internals.accumulator;

import dev.courier.producer.internals.metadata.TopicPartition;
import java.util.Arrays;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Every partition's {@link PartitionQueue}, found by partition (appends, drains) and as an array (the sender's
 * scans). A queue is made on a partition's first use and never removed.
 *
 * <p>Threads: caller threads and the sender look queues up; any of them may make one. Locking: making a
 * queue takes {@link #queueCreation}; lookups, {@link #all()} and {@link #values()} take no lock. Each queue's
 * contents are guarded by that queue's own monitor, which this class never takes. Owned by the
 * {@link RecordAccumulator}.
 */
final class PartitionQueues {

    private final ConcurrentMap<TopicPartition, PartitionQueue> byPartition = new ConcurrentHashMap<>();
    /**
     * The values of {@link #byPartition} (never removed), for the sender's scans of every partition several times
     * a request: an array walks without the map's iterator and entry objects. Replaced, under
     * {@link #queueCreation}, when a partition gets its queue.
     */
    private volatile PartitionQueue[] queues = new PartitionQueue[0];
    private final Object queueCreation = new Object();

    /** The partition's queue, or null before its first append. */
    PartitionQueue get(TopicPartition tp) {
        return byPartition.get(tp);
    }

    /** The partition's queue, made on first use. */
    PartitionQueue getOrCreate(TopicPartition tp) {
        PartitionQueue deque = byPartition.get(tp);
        return deque != null ? deque : newQueue(tp);
    }

    private PartitionQueue newQueue(TopicPartition tp) {
        synchronized (queueCreation) {
            PartitionQueue deque = byPartition.get(tp);
            if (deque == null) {
                deque = new PartitionQueue(tp);
                // Into the map before the array: the sender finds queues through the array, and a queue it finds
                // there must be complete everywhere (it was once published first, and a drain met it missing).
                byPartition.put(tp, deque);
                PartitionQueue[] grown = Arrays.copyOf(queues, queues.length + 1);
                grown[grown.length - 1] = deque;
                queues = grown;
            }
            return deque;
        }
    }

    /** Every queue made so far; the array is shared and must not be written. */
    PartitionQueue[] all() {
        return queues;
    }

    /**
     * The same queues as {@link #all()}, in the map's order (a weakly consistent view), for the sweeps that
     * always walked the map.
     */
    Collection<PartitionQueue> values() {
        return byPartition.values();
    }
}
