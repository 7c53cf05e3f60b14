package dev.courier.producer.internals.network;

import dev.courier.producer.errors.UnsupportedVersionException;
import dev.courier.producer.internals.metadata.Metadata;
import dev.courier.producer.internals.metadata.Node;
import dev.courier.producer.internals.protocol.ApiKey;
import dev.courier.producer.internals.util.Time;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A scripted {@link KafkaClient} for stepping the sender without sockets. Every node is ready unless
 * told otherwise; requests are recorded and stay in flight until a scripted response, {@link #respond},
 * {@link #disconnect}, or their request timeout on the caller's clock ends them. Completions run inside
 * the next {@link #poll}, which never blocks, as {@link NetworkClient} runs them.
 *
 * <p>Single-threaded like the sender, except {@link #wakeup()}.
 */
public final class MockClient implements KafkaClient {

    /** How a scripted entry ends the request it matches. */
    private enum Outcome { RESPONSE, DISCONNECT, TIMEOUT }

    private record Scripted(Predicate<ClientRequest> matcher, Outcome outcome, Function<ClientRequest, Object> body) {
    }

    private record InFlight(ClientRequest request, long sentMs) {
    }

    private final Time time;
    private final Metadata metadata;
    private final List<ClientRequest> sent = new ArrayList<>();
    private final List<InFlight> inFlight = new ArrayList<>();
    private final List<ClientResponse> due = new ArrayList<>();
    private final Map<ApiKey, Deque<Scripted>> scripts = new EnumMap<>(ApiKey.class);
    /** Node id -> monotonic ms from which it is ready again; Long.MAX_VALUE = until told otherwise. */
    private final Map<Integer, Long> notReadyUntil = new HashMap<>();
    private final Map<Integer, RuntimeException> authenticationFailures = new HashMap<>();
    private final Set<ApiKey> unsupported = EnumSet.noneOf(ApiKey.class);
    private volatile List<NodeConnection> connections = List.of();
    private final List<Consumer<ClientRequest>> sendListeners = new ArrayList<>();
    private final AtomicInteger wakeups = new AtomicInteger();
    private final Map<String, Short> finalizedFeatures = new HashMap<>();
    private int maxInFlightPerNode = Integer.MAX_VALUE;
    private long reconnectBackoffMs;
    private int correlationId;
    private int polls;
    private long lastPollTimeoutMs = -1;
    private boolean closed;

    /** @param metadata where {@link #leastLoadedNode} finds the brokers */
    public MockClient(Time time, Metadata metadata) {
        this.time = time;
        this.metadata = metadata;
    }

    // ---- scripting ----------------------------------------------------------------------------------

    /** The next request with this key (in send order) gets {@code body}. */
    public MockClient prepareResponse(ApiKey key, Object body) {
        return prepareResponse(key, r -> true, r -> body);
    }

    /** The next request with this key gets a body made from the request. */
    public MockClient prepareResponse(ApiKey key, Function<ClientRequest, Object> body) {
        return prepareResponse(key, r -> true, body);
    }

    /**
     * As {@link #prepareResponse(ApiKey, Function)}, but only a request that {@code matcher} accepts
     * consumes it; until one does, the entry (and those queued behind it for the key) waits.
     */
    public MockClient prepareResponse(ApiKey key, Predicate<ClientRequest> matcher, Function<ClientRequest, Object> body) {
        return script(key, new Scripted(matcher, Outcome.RESPONSE, body));
    }

    /** The next request with this key completes as disconnected (its node is not disconnected). */
    public MockClient prepareDisconnect(ApiKey key) {
        return script(key, new Scripted(r -> true, Outcome.DISCONNECT, null));
    }

    /** The next request with this key completes as timed out. */
    public MockClient prepareTimeout(ApiKey key) {
        return script(key, new Scripted(r -> true, Outcome.TIMEOUT, null));
    }

    private MockClient script(ApiKey key, Scripted scripted) {
        scripts.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(scripted);
        return this;
    }

    /** Scripted entries not yet consumed, across keys. */
    public int pendingScripts() {
        return scripts.values().stream().mapToInt(Deque::size).sum();
    }

    /** Answers the oldest in-flight request (completed in the next poll). */
    public void respond(Object body) {
        respond(r -> body);
    }

    /** Answers the oldest in-flight request with a body made from it. */
    public void respond(Function<ClientRequest, Object> body) {
        if (inFlight.isEmpty()) {
            throw new IllegalStateException("No request in flight");
        }
        InFlight oldest = inFlight.remove(0);
        due.add(new ClientResponse(oldest.request, time.monotonicMs(), false, false, null,
                body.apply(oldest.request)));
    }

    /** Requests with this key will complete with a version mismatch instead of being sent. */
    public void unsupported(ApiKey key) {
        unsupported.add(key);
    }

    /** Every node reports this finalized feature level (e.g. transaction.version 2) from now on. */
    public void finalizedFeature(String feature, short level) {
        finalizedFeatures.put(feature, level);
    }

    @Override
    public short finalizedFeatureLevel(String nodeId, String feature) {
        return finalizedFeatures.getOrDefault(feature, (short) -1);
    }

    /** Called with every request accepted by {@link #send} (e.g. to decode record batches while they are intact). */
    public void onSend(Consumer<ClientRequest> listener) {
        sendListeners.add(listener);
    }

    // ---- node state ----------------------------------------------------------------------------------

    /** Makes the node ready (true) or not ready until told otherwise (false). */
    /** The node refuses authentication: it is not ready, and reports {@code failure} (null clears it). */
    public void authenticationFailure(int nodeId, RuntimeException failure) {
        if (failure == null) {
            authenticationFailures.remove(nodeId);
        } else {
            authenticationFailures.put(nodeId, failure);
            setReady(nodeId, false);
        }
    }

    @Override
    public RuntimeException authenticationFailure(Node node) {
        return authenticationFailures.get(node.id());
    }

    public void setReady(int nodeId, boolean ready) {
        if (ready) {
            notReadyUntil.remove(nodeId);
        } else {
            notReadyUntil.put(nodeId, Long.MAX_VALUE);
        }
    }

    /** The node is not ready before monotonic {@code readyAtMs}. */
    public void readyAt(int nodeId, long readyAtMs) {
        notReadyUntil.put(nodeId, readyAtMs);
    }

    /** The backoff a disconnected (or timed-out) node waits before it is ready again; 0 by default. */
    public void reconnectBackoffMs(long backoffMs) {
        this.reconnectBackoffMs = backoffMs;
    }

    /** As max.in.flight.requests.per.connection: a node with this many requests out is not ready. */
    public void maxInFlightPerNode(int max) {
        this.maxInFlightPerNode = max;
    }

    /**
     * Drops the connection: the node's in-flight requests complete as disconnected in the next poll, and
     * it is not ready for the reconnect backoff.
     */
    public void disconnect(int nodeId) {
        endConnection(Integer.toString(nodeId), time.monotonicMs(), false);
    }

    private void endConnection(String nodeId, long nowMs, boolean timedOut) {
        for (Iterator<InFlight> it = inFlight.iterator(); it.hasNext(); ) {
            InFlight request = it.next();
            if (request.request.destination().equals(nodeId)) {
                it.remove();
                due.add(new ClientResponse(request.request, nowMs, true, timedOut, null, null));
            }
        }
        notReadyUntil.put(Integer.parseInt(nodeId), nowMs + reconnectBackoffMs);
    }

    // ---- KafkaClient -------------------------------------------------------------------------------

    @Override
    public boolean ready(Node node, long nowMs) {
        Long until = notReadyUntil.get(node.id());
        if (until != null && nowMs < until) {
            return false;
        }
        return inFlightCount(node.idString()) < maxInFlightPerNode;
    }

    @Override
    public void send(ClientRequest request, long nowMs) {
        ensureOpen();
        int nodeId = Integer.parseInt(request.destination());
        Long until = notReadyUntil.get(nodeId);
        if ((until != null && nowMs < until) || inFlightCount(request.destination()) >= maxInFlightPerNode) {
            throw new IllegalStateException("Attempt to send a request to node " + nodeId + " which is not ready");
        }
        if (unsupported.contains(request.apiKey())) {
            due.add(new ClientResponse(request, nowMs, false, false,
                    new UnsupportedVersionException("The broker does not support " + request.apiKey()), null));
            return;
        }
        request.markSent(correlationId++, (short) Math.min(request.body().maxUsableVersion(),
                request.apiKey().latestVersion));
        sent.add(request);
        for (Consumer<ClientRequest> listener : sendListeners) {
            listener.accept(request);
        }
        if (request.expectResponse()) {
            inFlight.add(new InFlight(request, nowMs));
        } else {
            due.add(new ClientResponse(request, nowMs, false, false, null, null)); // acks=0: done once written
        }
    }

    /** Completes what is due (answers, scripted matches, disconnects, request timeouts) and returns at once. */
    @Override
    public List<ClientResponse> poll(long timeoutMs, long nowMs) {
        ensureOpen();
        polls++;
        lastPollTimeoutMs = timeoutMs;
        applyScripts(nowMs);
        for (InFlight request : List.copyOf(inFlight)) {
            if (inFlight.contains(request) && nowMs - request.sentMs >= request.request.requestTimeoutMs()) {
                endConnection(request.request.destination(), nowMs, true);
            }
        }
        List<ClientResponse> responses = new ArrayList<>(due);
        due.clear();
        for (ClientResponse response : responses) {
            response.onComplete();
        }
        return responses;
    }

    private void applyScripts(long nowMs) {
        for (Iterator<InFlight> it = inFlight.iterator(); it.hasNext(); ) {
            ClientRequest request = it.next().request;
            Deque<Scripted> queue = scripts.get(request.apiKey());
            Scripted next = queue == null ? null : queue.peekFirst();
            if (next == null || !next.matcher.test(request)) {
                continue;
            }
            queue.pollFirst();
            it.remove();
            due.add(switch (next.outcome) {
                case RESPONSE -> new ClientResponse(request, nowMs, false, false, null, next.body.apply(request));
                case DISCONNECT -> new ClientResponse(request, nowMs, true, false, null, null);
                case TIMEOUT -> new ClientResponse(request, nowMs, true, true, null, null);
            });
        }
    }

    @Override
    public Node leastLoadedNode(long nowMs) {
        Node best = null;
        int bestCount = Integer.MAX_VALUE;
        for (Node node : metadata.fetch().nodes()) {
            int count = inFlightCount(node.idString());
            if (ready(node, nowMs) && count < bestCount) {
                best = node;
                bestCount = count;
            }
        }
        return best;
    }

    @Override
    public long pollDelayMs(Node node, long nowMs) {
        Long until = notReadyUntil.get(node.id());
        return until == null ? 0 : until == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, until - nowMs);
    }

    @Override
    public int inFlightRequestCount() {
        return inFlight.size();
    }

    public int inFlightCount(String nodeId) {
        return (int) inFlight.stream().filter(r -> r.request.destination().equals(nodeId)).count();
    }

    /** The requests in flight, oldest first. */
    public List<ClientRequest> inFlight() {
        return inFlight.stream().map(InFlight::request).toList();
    }

    /** Scripts what {@link #connections()} reports, as the real client publishes after a poll. */
    public void connections(List<NodeConnection> connections) {
        this.connections = List.copyOf(connections);
    }

    @Override
    public List<NodeConnection> connections() {
        return connections;
    }

    @Override
    public void wakeup() {
        wakeups.incrementAndGet();
    }

    @Override
    public void close() {
        closed = true;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The network client is closed");
        }
    }

    // ---- inspection ----------------------------------------------------------------------------------

    /** Every request sent, in order. */
    public List<ClientRequest> requests() {
        return List.copyOf(sent);
    }

    /** Every request sent with this key, in order. */
    public List<ClientRequest> requests(ApiKey key) {
        return sent.stream().filter(r -> r.apiKey() == key).toList();
    }

    /** The bodies of every request sent with this key, in order. */
    public <T> List<T> bodies(ApiKey key, Class<T> type) {
        return requests(key).stream().map(r -> type.cast(r.body())).toList();
    }

    public int wakeups() {
        return wakeups.get();
    }

    public int polls() {
        return polls;
    }

    /** The timeout the last poll was given, or -1 before the first: how long the caller meant to sleep. */
    public long lastPollTimeoutMs() {
        return lastPollTimeoutMs;
    }

    public boolean isClosed() {
        return closed;
    }
}
