package dev.courier.producer.internals.network;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When each of {@link NetworkClient}'s connections was last used, and which of them have been unused for longer
 * than connections.max.idle.ms with nothing in flight (the client closes those). Sender thread only.
 */
final class IdleConnections {

    private final long maxIdleMs;
    private final InFlightRequests inFlightRequests;
    private final ConnectionStates connectionStates;
    /** Per connection, when it was last used: one-element arrays updated in place, not a boxed Long per send. */
    private final Map<String, long[]> lastActivityMs = new HashMap<>();
    /**
     * No connection can become idle before this: the earliest last activity plus connections.max.idle.ms as of
     * the latest scan. Activity only moves a connection's deadline later, and a new connection's is at least
     * max.idle.ms away, so polls before it skip the scan (and its iterator) altogether.
     */
    private long nextIdleScanMs = Long.MIN_VALUE;
    /** What {@link #removeIdle} returns, reused: valid until its next call. */
    private final List<String> idle = new ArrayList<>();

    IdleConnections(long maxIdleMs, InFlightRequests inFlightRequests, ConnectionStates connectionStates) {
        this.maxIdleMs = maxIdleMs;
        this.inFlightRequests = inFlightRequests;
        this.connectionStates = connectionStates;
    }

    /** The connection was used (connected, or completed a send or a receive) at {@code nowMs}. */
    void touch(String id, long nowMs) {
        long[] lastActive = lastActivityMs.get(id);
        if (lastActive == null) {
            lastActivityMs.put(id, new long[] {nowMs});
        } else {
            lastActive[0] = nowMs;
        }
    }

    /** The connection is closed: no longer tracked. */
    void remove(String id) {
        lastActivityMs.remove(id);
    }

    /**
     * READY connections with nothing in flight that were unused for connections.max.idle.ms, no longer tracked:
     * the caller closes them. The list is reused: valid until the next call.
     */
    List<String> removeIdle(long nowMs) {
        idle.clear();
        if (nowMs <= nextIdleScanMs) {
            return idle;
        }
        long earliestDeadline = saturatedSum(nowMs, maxIdleMs); // for connections made after this scan
        var it = lastActivityMs.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, long[]> entry = it.next();
            String id = entry.getKey();
            long lastActive = entry.getValue()[0];
            earliestDeadline = Math.min(earliestDeadline, saturatedSum(lastActive, maxIdleMs));
            if (nowMs - lastActive > maxIdleMs && inFlightRequests.count(id) == 0
                    && connectionStates.isReady(id)) {
                it.remove();
                idle.add(id);
            }
        }
        // A connection kept open past its deadline (busy, or not ready) keeps this at or below now: scanned again.
        nextIdleScanMs = earliestDeadline;
        return idle;
    }

    private static long saturatedSum(long a, long b) {
        long sum = a + b;
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return sum;
    }
}
