package dev.courier.producer.internals.network;

import dev.courier.producer.errors.AuthenticationException;
import dev.courier.producer.errors.SaslAuthenticationException;
import dev.courier.producer.errors.UnsupportedVersionException;
import dev.courier.producer.internals.events.EngineEvents;
import dev.courier.producer.internals.metadata.Metadata;
import dev.courier.producer.internals.metadata.Node;
import dev.courier.producer.internals.network.InFlightRequests.InFlight;
import dev.courier.producer.internals.network.InFlightRequests.Kind;
import dev.courier.producer.internals.protocol.ApiKey;
import dev.courier.producer.internals.protocol.ApiVersionsResponse;
import dev.courier.producer.internals.protocol.MetadataResponse;
import dev.courier.producer.internals.protocol.RequestBody;
import dev.courier.producer.internals.protocol.RequestHeader;
import dev.courier.producer.internals.protocol.ResponseHeader;
import dev.courier.producer.internals.protocol.Responses;
import dev.courier.producer.internals.security.Authenticator;
import dev.courier.producer.internals.util.Time;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's NetworkClient, for the sender thread only (except {@link #wakeup()}): manages one
 * connection per broker on top of the {@link Selector}, negotiates API versions on every new
 * connection, authenticates it when the security protocol asks for it (behind {@link Authenticator}),
 * tracks in-flight requests, matches responses to requests by correlation id, times
 * out requests and connection attempts, and keeps the cluster metadata fresh.
 *
 * <p>This class sends requests, matches what the selector reports to them and drives the parts that each own
 * one piece of state: {@link ConnectionLifecycle} opens and ends connections (states and backoff in
 * {@link ConnectionStates}), {@link ApiVersionsNegotiation}, {@link ConnectionSessions} (authentication),
 * {@link InFlightRequests}, {@link IdleConnections}, {@link AuthenticationFailures}, {@link MetadataUpdater} and
 * {@link PublishedConnections}. All of them are created with the client and used on the sender thread only,
 * except the published snapshot, which any thread may read.
 *
 * <p>All {@code nowMs} values are monotonic milliseconds ({@link Time#monotonicMs()}). Completion
 * handlers run inside {@link #poll}, on the calling thread, after all I/O of that poll.
 */
public final class NetworkClient implements KafkaClient {

    private static final Logger log = LoggerFactory.getLogger(NetworkClient.class);

    private final Selector selector;
    private final Metadata metadata;
    private final NetworkClientConfig config;
    private final Time time;
    private final ConnectionStates connectionStates;
    private final InFlightRequests inFlightRequests;
    private final MetadataUpdater metadataUpdater;
    private final ConnectionSessions sessions;
    private final ApiVersionsNegotiation apiVersions;
    private final IdleConnections idleConnections;
    private final AuthenticationFailures authenticationFailures;
    private final ConnectionLifecycle lifecycle;
    /** Connection states for other threads (health checks). */
    private final PublishedConnections publishedConnections;
    /** Completions produced outside poll (version mismatch, disconnect()); handed out by the next poll. */
    private final List<ClientResponse> pendingCompletions = new ArrayList<>();
    /** The list {@link #poll} returns, reused: valid until the next poll. */
    private final List<ClientResponse> polledResponses = new ArrayList<>();
    private int correlationId;
    private boolean closed;
    /** A request that completes once written (acks=0) was sent since the last poll, which then must not wait. */
    private boolean sentRequestWithoutResponse;

    public NetworkClient(Selector selector, Metadata metadata, NetworkClientConfig config, Time time) {
        this(selector, metadata, config, time, Authenticator.Factory.NONE);
    }

    /** @param authenticators authenticates each new connection after ApiVersions; closed with this client */
    public NetworkClient(Selector selector, Metadata metadata, NetworkClientConfig config, Time time,
                         Authenticator.Factory authenticators) {
        this.sessions = new ConnectionSessions(authenticators, new AuthenticationLink());
        this.selector = selector;
        this.metadata = metadata;
        this.config = config;
        this.time = time;
        this.connectionStates = new ConnectionStates(config.reconnectBackoffMs(), config.reconnectBackoffMaxMs(),
                config.socketConnectionSetupTimeoutMs(), config.socketConnectionSetupTimeoutMaxMs());
        this.inFlightRequests = new InFlightRequests(config.maxInFlightRequestsPerConnection());
        this.metadataUpdater = new MetadataUpdater(this, metadata, config);
        this.apiVersions = new ApiVersionsNegotiation(this, selector, inFlightRequests, config);
        this.idleConnections = new IdleConnections(config.connectionsMaxIdleMs(), inFlightRequests, connectionStates);
        this.publishedConnections = new PublishedConnections(connectionStates, metadata);
        this.authenticationFailures = new AuthenticationFailures(metadata);
        this.lifecycle = new ConnectionLifecycle(selector, connectionStates, inFlightRequests, apiVersions, sessions,
                idleConnections, authenticationFailures, metadataUpdater);
    }

    @Override
    public void events(EngineEvents events) {
        lifecycle.events(events);
    }

    /**
     * True if a request can be sent to the node now. Otherwise starts connecting when the backoff
     * allows, and returns false.
     */
    @Override
    public boolean ready(Node node, long nowMs) {
        if (node.host() == null || node.host().isEmpty()) {
            throw new IllegalArgumentException("Cannot connect to a node without a host: " + node);
        }
        if (isReady(node, nowMs)) {
            return true;
        }
        if (connectionStates.canConnect(NodeIds.of(node.id()), nowMs)) {
            lifecycle.connect(node, nowMs);
        }
        return false;
    }

    /**
     * True if a request can be sent to the node now. False for every node while a metadata refresh
     * is due and not yet sent, so the refresh goes out first.
     */
    public boolean isReady(Node node, long nowMs) {
        return !metadataUpdater.isUpdateDue(nowMs) && canSendRequest(NodeIds.of(node.id()), nowMs);
    }

    boolean canSendRequest(String id, long nowMs) {
        return connectionStates.isReady(id) && selector.isChannelReady(id) && inFlightRequests.canSendMore(id)
                && sessions.isUsable(id, nowMs);
    }

    boolean canConnect(String id, long nowMs) {
        return connectionStates.canConnect(id, nowMs);
    }

    boolean isPreparingConnection(String id) {
        return connectionStates.isPreparing(id);
    }

    /** Milliseconds until a connect attempt to the node is allowed; Long.MAX_VALUE while connecting or connected. */
    public long connectionDelay(Node node, long nowMs) {
        return connectionStates.connectionDelay(NodeIds.of(node.id()), nowMs);
    }

    /** True when the last connection attempt (or connection) to the node failed and none is under way. */
    public boolean connectionFailed(Node node) {
        return connectionStates.isDisconnected(NodeIds.of(node.id()));
    }

    @Override
    public RuntimeException authenticationFailure(Node node) {
        return authenticationFailures.get(NodeIds.of(node.id()));
    }

    /** How long the sender may sleep before this node might become ready (no throttling support). */
    @Override
    public long pollDelayMs(Node node, long nowMs) {
        return connectionDelay(node, nowMs);
    }

    /**
     * Queues the request on its (ready) node at the highest version both sides and the body allow.
     * If there is none, the request completes in the next poll with {@link ClientResponse#versionMismatch()}.
     *
     * @throws IllegalStateException if the node is not ready (check {@link #ready} first)
     */
    @Override
    public void send(ClientRequest request, long nowMs) {
        ensureOpen();
        String id = request.destination();
        if (!canSendRequest(id, nowMs)) {
            throw new IllegalStateException("Attempt to send a request to node " + id + " which is not ready");
        }
        short version;
        try {
            version = apiVersions.get(id).usableVersion(request.apiKey(), request.body().maxUsableVersion());
        } catch (UnsupportedVersionException e) {
            log.debug("Cannot send {}: {}", request, e.getMessage());
            pendingCompletions.add(new ClientResponse(request, nowMs, false, false, e, null));
            return;
        }
        doSend(request, version, Kind.USER, nowMs);
    }

    /** Sends a request the client itself consumes (Metadata); the version is negotiated like any other. */
    void sendInternal(ClientRequest request, Kind kind, long nowMs) {
        short version;
        try {
            version = apiVersions.get(request.destination()).usableVersion(request.apiKey(),
                    request.body().maxUsableVersion());
        } catch (UnsupportedVersionException e) {
            log.error("Cannot refresh metadata from node {}: {}", request.destination(), e.getMessage());
            metadataUpdater.handleFailure(nowMs);
            return;
        }
        doSend(request, version, kind, nowMs);
    }

    /** Frames the request at {@code version}, tracks it in flight and hands it to the selector. */
    void doSend(ClientRequest request, short version, Kind kind, long nowMs) {
        String id = request.destination();
        RequestHeader header = new RequestHeader(request.apiKey(), version, nextCorrelationId(), config.clientId());
        ByteBuffer[] frame;
        try {
            frame = request.body().toFrame(header);
        } catch (UnsupportedVersionException e) {
            if (kind == Kind.METADATA) {
                metadataUpdater.handleFailure(nowMs);
            } else if (kind == Kind.USER) {
                pendingCompletions.add(new ClientResponse(request, nowMs, false, false, e, null));
            }
            return;
        }
        request.markSent(header.correlationId(), version);
        NetworkSend send = new NetworkSend(id, frame);
        sentRequestWithoutResponse |= !request.expectResponse();
        inFlightRequests.add(new InFlight(request, header, send, nowMs, kind));
        selector.send(send);
        log.trace("Sent {}", request);
    }

    private int nextCorrelationId() {
        int id = correlationId;
        correlationId = correlationId == Integer.MAX_VALUE ? 0 : correlationId + 1;
        return id;
    }

    /**
     * Does the network I/O possible within {@code timeoutMs} (less if a metadata refresh, a request
     * timeout or a connection-setup timeout comes first), then runs the completion handlers of
     * everything that finished and returns those responses, in a list that the next poll reuses.
     */
    @Override
    public List<ClientResponse> poll(long timeoutMs, long nowMs) {
        ensureOpen();
        List<ClientResponse> responses = polledResponses;
        responses.clear();
        if (!pendingCompletions.isEmpty()) {
            responses.addAll(pendingCompletions);
            pendingCompletions.clear();
            completeResponses(responses);
            return responses;
        }
        long metadataTimeout = metadataUpdater.maybeUpdate(nowMs);
        long pollTimeout = Math.min(Math.min(timeoutMs, metadataTimeout), config.requestTimeoutMs());
        pollTimeout = Math.min(pollTimeout, inFlightRequests.nextTimeoutDelayMs(nowMs));
        pollTimeout = Math.min(pollTimeout, connectionStates.nextSetupTimeoutDelayMs(nowMs));
        pollTimeout = Math.min(pollTimeout, sessions.nextExpiryDelayMs(nowMs));
        if (sentRequestWithoutResponse) {
            sentRequestWithoutResponse = false;
            pollTimeout = 0; // its send, usually written at once, is all it waits for
        }
        try {
            selector.poll(Math.max(pollTimeout, 0));
        } catch (IOException e) {
            log.error("Unexpected I/O error while polling", e);
        }
        long updatedNow = time.monotonicMs();
        lifecycle.startPoll();
        handleCompletedSends(responses, updatedNow);
        handleCompletedReceives(responses, updatedNow);
        lifecycle.handleDisconnections(responses, updatedNow);
        lifecycle.handleConnections(updatedNow);
        apiVersions.sendRequests(updatedNow);
        lifecycle.handleTimedOutConnections(responses, updatedNow);
        handleTimedOutRequests(responses, updatedNow);
        lifecycle.closeIdleConnections(updatedNow);
        lifecycle.retireExpiredSessions(updatedNow);
        publishedConnections.update();
        completeResponses(responses);
        return responses;
    }

    /**
     * The snapshot published at the end of the sender thread's latest poll, for the nodes of the current metadata
     * only (see {@link PublishedConnections}); safe from any thread.
     */
    @Override
    public List<NodeConnection> connections() {
        return publishedConnections.get();
    }

    private void handleCompletedSends(List<ClientResponse> responses, long nowMs) {
        List<NetworkSend> sends = selector.completedSends();
        for (int i = 0; i < sends.size(); i++) {
            NetworkSend send = sends.get(i);
            String id = send.destination();
            idleConnections.touch(id, nowMs);
            InFlight last = inFlightRequests.lastSent(id);
            if (last != null && last.send == send && !last.request.expectResponse()) {
                inFlightRequests.completeLastSent(id);
                responses.add(new ClientResponse(last.request, nowMs, false, false, null, null));
            }
        }
    }

    private void handleCompletedReceives(List<ClientResponse> responses, long nowMs) {
        List<NetworkReceive> receives = selector.completedReceives();
        for (int i = 0; i < receives.size(); i++) {
            NetworkReceive receive = receives.get(i);
            String id = receive.source();
            if (lifecycle.disconnectedThisPoll(id)) {
                continue;
            }
            idleConnections.touch(id, nowMs);
            sessions.answered(id);
            InFlight request = inFlightRequests.completeNext(id);
            try {
                if (request == null || !request.request.expectResponse()) {
                    throw new IllegalStateException("Node " + id + " sent a response with no request waiting for one");
                }
                ByteBuffer buffer = receive.payload();
                ApiKey key = request.header.apiKey();
                short version = request.header.apiVersion();
                int correlation = ResponseHeader.readCorrelationId(buffer, key.responseHeaderVersion(version));
                if (correlation != request.header.correlationId()) {
                    throw new IllegalStateException("Correlation id " + correlation + " from node " + id
                            + " does not match the expected " + request.header.correlationId());
                }
                Object body = Responses.parse(key, buffer, version);
                switch (request.kind) {
                    case API_VERSIONS -> handleApiVersionsResponse(request, (ApiVersionsResponse) body, responses, nowMs);
                    case AUTHENTICATION -> sessions.handleResponse(id, body, nowMs);
                    case METADATA -> metadataUpdater.handleResponse((MetadataResponse) body, nowMs);
                    case USER -> responses.add(new ClientResponse(request.request, nowMs, false, false, null, body));
                }
            } catch (RuntimeException e) {
                log.warn("Protocol error on the connection to node {}; disconnecting: {}", id, e.toString());
                if (request != null) {
                    lifecycle.failRequest(request, responses, nowMs, false);
                }
                lifecycle.close(id, responses, nowMs, false);
            }
        }
    }

    private void handleApiVersionsResponse(InFlight request, ApiVersionsResponse response,
                                           List<ClientResponse> responses, long nowMs) {
        String id = request.request.destination();
        switch (apiVersions.handleResponse(request, response)) {
            case NEGOTIATED -> sessions.start(id, connectionStates.host(id), nowMs);
            case REFUSED -> lifecycle.close(id, responses, nowMs, false);
            case RETRYING -> { }
        }
    }

    /** How the authenticators of new connections reach the wire and report their outcome. */
    private final class AuthenticationLink implements ConnectionSessions.Link {

        @Override
        public void authenticating(String id) {
            connectionStates.authenticating(id);
        }

        @Override
        public void send(String id, RequestBody body, long nowMs) {
            short version;
            try {
                version = apiVersions.get(id).usableVersion(body.apiKey(), body.maxUsableVersion());
            } catch (UnsupportedVersionException e) {
                throw new SaslAuthenticationException("Node " + id + " cannot authenticate this client: "
                        + e.getMessage());
            }
            doSend(new ClientRequest(id, body, nowMs, true, config.requestTimeoutMs(), null), version,
                    Kind.AUTHENTICATION, nowMs);
        }

        @Override
        public void ready(String id) {
            lifecycle.ready(id, time.monotonicMs());
        }

        @Override
        public void failed(String id, AuthenticationException e, long nowMs) {
            lifecycle.authenticationFailed(id, e, pendingCompletions, nowMs);
        }
    }

    private void handleTimedOutRequests(List<ClientResponse> responses, long nowMs) {
        List<String> timedOut = inFlightRequests.nodesWithTimedOutRequests(nowMs);
        for (int i = 0; i < timedOut.size(); i++) {
            String id = timedOut.get(i);
            log.info("Disconnecting from node {} because a request timed out", id);
            lifecycle.close(id, responses, nowMs, true);
        }
    }

    private void completeResponses(List<ClientResponse> responses) {
        for (int i = 0; i < responses.size(); i++) {
            ClientResponse response = responses.get(i);
            try {
                response.onComplete();
            } catch (RuntimeException e) {
                log.error("Uncaught error in a request completion handler", e);
            }
        }
    }

    /** Starts a connection; a failure to even start puts the node into backoff. */
    void initiateConnect(Node node, long nowMs) {
        lifecycle.connect(node, nowMs);
    }

    /**
     * The node with the fewest in-flight requests among those that can take one; otherwise one that is
     * connecting, otherwise one that may be connected to (the longest untried first). Null when every
     * known node is in reconnect backoff. Starts at a random node so load spreads.
     */
    @Override
    public Node leastLoadedNode(long nowMs) {
        List<Node> nodes = metadata.fetch().nodes();
        if (nodes.isEmpty()) {
            return null;
        }
        int inFlight = Integer.MAX_VALUE;
        Node foundReady = null;
        Node foundConnecting = null;
        Node foundCanConnect = null;
        int offset = ThreadLocalRandom.current().nextInt(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get((offset + i) % nodes.size());
            String id = NodeIds.of(node.id());
            if (canSendRequest(id, nowMs)) {
                int count = inFlightRequests.count(id);
                if (count == 0) {
                    return node;
                }
                if (count < inFlight) {
                    inFlight = count;
                    foundReady = node;
                }
            } else if (connectionStates.isPreparing(id)) {
                foundConnecting = node;
            } else if (connectionStates.canConnect(id, nowMs)) {
                if (foundCanConnect == null
                        || connectionStates.lastConnectAttemptMs(id) < connectionStates.lastConnectAttemptMs(NodeIds.of(foundCanConnect.id()))) {
                    foundCanConnect = node;
                }
            }
        }
        if (foundReady != null) {
            return foundReady;
        }
        return foundConnecting != null ? foundConnecting : foundCanConnect;
    }

    /** True when every one of {@code nodes} is disconnected and in reconnect backoff. */
    boolean allBlackedOut(List<Node> nodes, long nowMs) {
        for (Node node : nodes) {
            if (!connectionStates.isBlackedOut(NodeIds.of(node.id()), nowMs)) {
                return false;
            }
        }
        return true;
    }

    /** True if some node can take a request now. */
    public boolean hasReadyNodes(long nowMs) {
        for (String id : connectionStates.readyNodes()) {
            if (canSendRequest(id, nowMs)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The highest version of the API negotiated with the node, or -1 when its connection is not
     * ready (no negotiation yet).
     *
     * @throws UnsupportedVersionException when the node speaks no version this client can use
     */
    public short apiVersion(String nodeId, ApiKey key) {
        NodeApiVersions versions = apiVersions.get(nodeId);
        return versions == null ? -1 : versions.latestUsableVersion(key);
    }

    /** What the node's connection negotiated, or null when it is not ready. */
    public NodeApiVersions nodeApiVersions(String nodeId) {
        return apiVersions.get(nodeId);
    }

    @Override
    public short finalizedFeatureLevel(String nodeId, String feature) {
        NodeApiVersions versions = apiVersions.get(nodeId);
        return versions == null ? -1 : versions.response().finalizedFeatureLevel(feature);
    }

    @Override
    public int inFlightRequestCount() {
        return inFlightRequests.count();
    }

    public int inFlightRequestCount(String nodeId) {
        return inFlightRequests.count(nodeId);
    }

    public boolean hasInFlightRequests(String nodeId) {
        return inFlightRequests.count(nodeId) > 0;
    }

    /**
     * Closes the connection to the node; its in-flight requests complete as disconnected in the
     * next poll.
     */
    public void disconnect(String nodeId) {
        if (connectionStates.state(nodeId) == ConnectionStates.State.DISCONNECTED && !selector.isRegistered(nodeId)) {
            return;
        }
        lifecycle.close(nodeId, pendingCompletions, time.monotonicMs(), false);
    }

    /** Makes a blocked {@link #poll} return; safe from any thread. */
    @Override
    public void wakeup() {
        selector.wakeup();
    }

    /** Closes every connection and the selector; in-flight requests are dropped without completion. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            selector.close();
            sessions.close();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The network client is closed");
        }
    }
}
