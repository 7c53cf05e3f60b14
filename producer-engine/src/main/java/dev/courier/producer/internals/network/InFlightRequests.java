package dev.courier.producer.internals.network;

import dev.courier.producer.internals.protocol.RequestHeader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests written (or being written) and not yet answered, per node, oldest first. A broker answers
 * in order, so the oldest is the one the next response belongs to. Sender thread only.
 */
final class InFlightRequests {

    /** Who consumes the response: the caller's handler, or the client itself. */
    enum Kind { USER, API_VERSIONS, AUTHENTICATION, METADATA }

    static final class InFlight {
        final ClientRequest request;
        final RequestHeader header;
        final NetworkSend send;
        final long sendTimeMs;
        final Kind kind;

        InFlight(ClientRequest request, RequestHeader header, NetworkSend send, long sendTimeMs, Kind kind) {
            this.request = request;
            this.header = header;
            this.send = send;
            this.sendTimeMs = sendTimeMs;
            this.kind = kind;
        }

        long deadlineMs() {
            return sendTimeMs + request.requestTimeoutMs();
        }
    }

    private final int maxPerConnection;
    private final Map<String, ArrayDeque<InFlight>> requests = new HashMap<>();
    private int total;
    /**
     * At or before every in-flight request's deadline: exact after a scan, lowered by each add, left as it is
     * by removals. While it lies ahead, no request can have timed out and the scans (with their iterators) are
     * skipped; a stale value only brings the next scan forward.
     */
    private long deadlineBoundMs = Long.MAX_VALUE;

    InFlightRequests(int maxPerConnection) {
        this.maxPerConnection = maxPerConnection;
    }

    void add(InFlight request) {
        requests.computeIfAbsent(request.request.destination(), k -> new ArrayDeque<>()).addLast(request);
        total++;
        deadlineBoundMs = Math.min(deadlineBoundMs, request.deadlineMs());
    }

    /** Removes and returns the oldest request of the node, the one the next response answers; null if none. */
    InFlight completeNext(String node) {
        ArrayDeque<InFlight> queue = requests.get(node);
        InFlight request = queue == null ? null : queue.pollFirst();
        if (request != null) {
            total--;
        }
        return request;
    }

    /** The most recently added request of the node, or null. */
    InFlight lastSent(String node) {
        ArrayDeque<InFlight> queue = requests.get(node);
        return queue == null ? null : queue.peekLast();
    }

    /** Removes the most recently added request (an acks=0 request whose send just completed). */
    InFlight completeLastSent(String node) {
        InFlight request = requests.get(node).pollLast();
        total--;
        return request;
    }

    /**
     * A new request may go out when the node has fewer than the maximum in flight and the last one
     * has been fully written (one send at a time per connection).
     */
    boolean canSendMore(String node) {
        ArrayDeque<InFlight> queue = requests.get(node);
        return queue == null || queue.isEmpty()
                || (queue.peekLast().send.completed() && queue.size() < maxPerConnection);
    }

    int count(String node) {
        ArrayDeque<InFlight> queue = requests.get(node);
        return queue == null ? 0 : queue.size();
    }

    int count() {
        return total;
    }

    /** Removes and returns every request of the node, oldest first. */
    List<InFlight> clearAll(String node) {
        ArrayDeque<InFlight> queue = requests.remove(node);
        if (queue == null) {
            return Collections.emptyList();
        }
        total -= queue.size();
        return new ArrayList<>(queue);
    }

    /** Nodes with at least one request whose timeout has passed. */
    List<String> nodesWithTimedOutRequests(long nowMs) {
        if (total == 0 || nowMs <= deadlineBoundMs) {
            return List.of();
        }
        List<String> nodes = new ArrayList<>();
        for (Map.Entry<String, ArrayDeque<InFlight>> entry : requests.entrySet()) {
            for (InFlight request : entry.getValue()) {
                if (nowMs - request.sendTimeMs > request.request.requestTimeoutMs()) {
                    nodes.add(entry.getKey());
                    break;
                }
            }
        }
        return nodes;
    }

    /** Milliseconds until the earliest request timeout, or Long.MAX_VALUE when nothing is in flight. */
    long nextTimeoutDelayMs(long nowMs) {
        if (total == 0) {
            return Long.MAX_VALUE;
        }
        if (nowMs < deadlineBoundMs) {
            return deadlineBoundMs - nowMs + 1;
        }
        long earliest = Long.MAX_VALUE;
        for (ArrayDeque<InFlight> queue : requests.values()) {
            for (InFlight request : queue) {
                earliest = Math.min(earliest, request.deadlineMs());
            }
        }
        deadlineBoundMs = earliest;
        return Math.max(earliest - nowMs + 1, 0);
    }
}
