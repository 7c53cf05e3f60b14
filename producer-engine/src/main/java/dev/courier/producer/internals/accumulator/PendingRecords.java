package dev.courier.producer.internals.accumulator;

import dev.courier.producer.Callback;
import dev.courier.producer.Header;
import dev.courier.producer.RecordMetadata;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records accepted for topics whose metadata is not known yet. This is where Courier departs from the
 * official producer: {@code send} does not block waiting for metadata; the record waits here, its
 * size charged to {@code buffer.memory}, and the sender thread partitions and appends it once the
 * metadata arrives, or fails it when {@code max.block.ms} passes first.
 *
 * <p>Order: while a topic has records here, later sends to that topic queue behind them, so a caller's
 * records keep their send order. The sender removes a topic's queue only after moving every record of
 * it, under {@link #lock}, so a caller that finds no queue knows its earlier records are appended.
 */
public final class PendingRecords {

    /** A serialized record waiting for its topic's metadata. */
    public record Pending(String topic, Integer partition, long timestamp, Object key, Object value,
                          byte[] keyBytes, byte[] valueBytes, List<Header> headers,
                          CompletableFuture<RecordMetadata> future, Callback callback, int reservedBytes,
                          long enqueuedMs) {
    }

    private final Object lock = new Object();
    // guarded by lock for structural changes of a queue; the map itself is concurrent so that
    // hasPending() is a cheap lock-free read on the send path
    private final Map<String, ArrayDeque<Pending>> byTopic = new ConcurrentHashMap<>();

    /** Whether sends to this topic must queue here to keep their order. */
    public boolean hasPending(String topic) {
        return !byTopic.isEmpty() && byTopic.containsKey(topic);
    }

    public boolean isEmpty() {
        return byTopic.isEmpty();
    }

    public void add(Pending pending) {
        synchronized (lock) {
            byTopic.computeIfAbsent(pending.topic(), t -> new ArrayDeque<>()).addLast(pending);
        }
    }

    /** Topics with records waiting. */
    public List<String> topics() {
        return new ArrayList<>(byTopic.keySet());
    }

    /** What to do with the record at the head of a topic's queue. */
    public enum Decision { MOVED, WAIT, DROPPED }

    /** Decides for one waiting record (sender thread, under this queue's lock). */
    @FunctionalInterface
    public interface Mover {
        Decision move(Pending pending);
    }

    /**
     * Offers a topic's records, oldest first, to {@code mover} until it says WAIT. Records it MOVED or
     * DROPPED leave the queue; the queue disappears once empty.
     */
    public void drainTopic(String topic, Mover mover) {
        synchronized (lock) {
            ArrayDeque<Pending> queue = byTopic.get(topic);
            if (queue == null) {
                return;
            }
            while (!queue.isEmpty()) {
                if (mover.move(queue.peekFirst()) == Decision.WAIT) {
                    break;
                }
                queue.pollFirst();
            }
            if (queue.isEmpty()) {
                byTopic.remove(topic);
            }
        }
    }

    /** The earliest time a waiting record runs out of {@code max.block.ms}, or Long.MAX_VALUE. */
    public long earliestEnqueuedMs() {
        long earliest = Long.MAX_VALUE;
        synchronized (lock) {
            for (ArrayDeque<Pending> queue : byTopic.values()) {
                Pending first = queue.peekFirst();
                if (first != null) {
                    earliest = Math.min(earliest, first.enqueuedMs());
                }
            }
        }
        return earliest;
    }

    /** Removes and returns every waiting record (forced close). */
    public List<Pending> removeAll() {
        List<Pending> all = new ArrayList<>();
        synchronized (lock) {
            for (Iterator<ArrayDeque<Pending>> it = byTopic.values().iterator(); it.hasNext(); ) {
                all.addAll(it.next());
                it.remove();
            }
        }
        return all;
    }

    /** Futures of every waiting record, for flush. */
    public List<CompletableFuture<RecordMetadata>> futures() {
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        synchronized (lock) {
            for (ArrayDeque<Pending> queue : byTopic.values()) {
                for (Pending pending : queue) {
                    futures.add(pending.future());
                }
            }
        }
        return futures;
    }
}
