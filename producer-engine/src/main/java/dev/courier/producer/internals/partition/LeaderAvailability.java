package dev.courier.producer.internals.partition;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * For {@code partitioner.availability.timeout.ms} (KIP-794): per leader, when it last had sendable
 * batches and when batches were last drained for it. A leader that has had sendable data without a drain
 * for longer than the timeout (its connection is down, or all its in-flight slots stay taken because it
 * answers slowly) is left out when unkeyed records pick their next partition.
 *
 * <p>Written by the sender thread once per loop, read by callers when their sticky partition changes.
 */
public final class LeaderAvailability {

    private final long timeoutMs;
    private final ConcurrentMap<Integer, Times> byNode = new ConcurrentHashMap<>();

    private static final class Times {
        volatile long readyMs;
        volatile long drainedMs;

        Times(long nowMs) {
            readyMs = nowMs;
            drainedMs = nowMs;
        }
    }

    /** @param timeoutMs partitioner.availability.timeout.ms, above 0 */
    public LeaderAvailability(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    /** The node has batches the accumulator would send now (sender thread). */
    public void onSendable(int nodeId, long nowMs) {
        Times times = byNode.get(nodeId);
        if (times == null) {
            byNode.put(nodeId, new Times(nowMs));
        } else {
            times.readyMs = nowMs;
        }
    }

    /** Batches were drained for the node (sender thread). */
    public void onDrained(int nodeId, long nowMs) {
        Times times = byNode.get(nodeId);
        if (times == null) {
            byNode.put(nodeId, new Times(nowMs));
        } else {
            times.drainedMs = nowMs;
        }
    }

    /** Whether the node has not been waiting with sendable data and no drain for longer than the timeout. */
    public boolean isAvailable(int nodeId) {
        Times times = byNode.get(nodeId);
        return times == null || times.readyMs - times.drainedMs <= timeoutMs;
    }
}
