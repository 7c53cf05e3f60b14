package dev.courier.producer.internals.network;

import dev.courier.producer.errors.AuthenticationException;
import dev.courier.producer.internals.events.EngineEvents;
import dev.courier.producer.internals.metadata.Metadata;
import dev.courier.producer.internals.metadata.Node;
import dev.courier.producer.internals.network.InFlightRequests.InFlight;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens {@link NetworkClient}'s connections, moves them from connected to READY (ApiVersions, then authentication),
 * and ends them: on purpose without backoff (idle, session over), or after a loss, a setup timeout or a failure.
 * Ending a connection means cleaning up after it everywhere: reconnect backoff, negotiated versions, session and
 * activity forgotten, in-flight requests failed, a metadata refresh requested, and the engine events told.
 * The states themselves live in {@link ConnectionStates}. Sender thread only, like the client that drives it.
 */
final class ConnectionLifecycle {

    /** Logs under NetworkClient's name: these lines were its own, and log configurations (and tests) name it. */
    private static final Logger log = LoggerFactory.getLogger(NetworkClient.class);

    private final Selector selector;
    private final ConnectionStates connectionStates;
    private final InFlightRequests inFlightRequests;
    private final ApiVersionsNegotiation apiVersions;
    private final ConnectionSessions sessions;
    private final IdleConnections idleConnections;
    private final AuthenticationFailures authenticationFailures;
    private final MetadataUpdater metadataUpdater;
    /** Connections closed during the current poll, so a second report of the same loss is ignored. */
    private final Set<String> disconnectedThisPoll = new HashSet<>();
    /** Told when connections become ready, are lost or fail; set once before use. */
    private EngineEvents events = EngineEvents.NONE;

    ConnectionLifecycle(Selector selector, ConnectionStates connectionStates, InFlightRequests inFlightRequests,
                        ApiVersionsNegotiation apiVersions, ConnectionSessions sessions,
                        IdleConnections idleConnections, AuthenticationFailures authenticationFailures,
                        MetadataUpdater metadataUpdater) {
        this.selector = selector;
        this.connectionStates = connectionStates;
        this.inFlightRequests = inFlightRequests;
        this.apiVersions = apiVersions;
        this.sessions = sessions;
        this.idleConnections = idleConnections;
        this.authenticationFailures = authenticationFailures;
        this.metadataUpdater = metadataUpdater;
    }

    void events(EngineEvents events) {
        this.events = events;
    }

    /** A new poll begins: no connection has been closed in it yet. */
    void startPoll() {
        disconnectedThisPoll.clear();
    }

    /** True when the connection was closed earlier in this poll: what it still reports belongs to no one. */
    boolean disconnectedThisPoll(String id) {
        return disconnectedThisPoll.contains(id);
    }

    /** Starts a connection; a failure to even start puts the node into backoff. */
    void connect(Node node, long nowMs) {
        String id = NodeIds.of(node.id());
        try {
            connectionStates.connecting(id, node.host() + ":" + node.port(), nowMs);
            InetSocketAddress address = new InetSocketAddress(node.host(), node.port());
            if (address.isUnresolved()) {
                throw new UnknownHostException(node.host());
            }
            log.debug("Connecting to node {} at {}", node, address);
            selector.connect(id, address);
        } catch (IOException e) {
            if (e instanceof AuthenticationFailure failure) {
                transportAuthenticationFailed(id, failure.exception());
            } else {
                log.warn("Cannot connect to node {}: {}", node, e.toString());
            }
            events.connectionFailed(id, connectionStates.address(id));
            connectionStates.disconnected(id, nowMs);
            metadataUpdater.handleServerDisconnect();
        }
    }

    /** The selector's newly established connections: each sends ApiVersions first. */
    void handleConnections(long nowMs) {
        List<String> connected = selector.connected();
        for (int i = 0; i < connected.size(); i++) {
            String id = connected.get(i);
            log.debug("Connected to node {}", id);
            idleConnections.touch(id, nowMs);
            connectionStates.checkingApiVersions(id);
            apiVersions.connected(id);
        }
    }

    /** The connection authenticated (or needed no authentication): it is READY. */
    void ready(String id, long nowMs) {
        connectionStates.ready(id, nowMs);
        authenticationFailures.succeeded(id);
        log.debug("Node {} is ready", id);
        events.connected(id, connectionStates.address(id));
    }

    /**
     * The connection's authenticator failed. Not retriable like a lost connection: the records waiting for
     * metadata fail with this error (through {@link Metadata#authenticationFailed}); reconnects continue with the
     * usual backoff, in case the credentials become valid. Nothing of the caller's is in flight on a connection
     * that is not READY, so the disconnection completes nothing.
     */
    void authenticationFailed(String id, AuthenticationException e, List<ClientResponse> responses, long nowMs) {
        log.error("Closing the connection to node {}: {}", id, e.getMessage());
        events.authenticationFailed(id, connectionStates.address(id), e.getMessage());
        close(id, responses, nowMs, false);
        authenticationFailures.authenticatorFailed(id, e);
    }

    /** The connections the selector lost in its latest poll (and not closed by this client since). */
    void handleDisconnections(List<ClientResponse> responses, long nowMs) {
        if (selector.disconnected().isEmpty()) {
            return;
        }
        for (Map.Entry<String, IOException> entry : selector.disconnected().entrySet()) {
            if (disconnectedThisPoll.contains(entry.getKey())) {
                continue;
            }
            if (entry.getValue() instanceof AuthenticationFailure failure) {
                transportAuthenticationFailed(entry.getKey(), failure.exception());
            } else if (sessions.lostBeforeFirstAnswer(entry.getKey())) {
                log.warn("Node {} closed the connection on the first request after connection setup; if its listener "
                        + "expects SASL or TLS, security.protocol does not match it", entry.getKey());
            } else {
                log.debug("Connection to node {} lost: {}", entry.getKey(), entry.getValue().toString());
            }
            processDisconnection(entry.getKey(), responses, nowMs, false);
        }
    }

    /** Closes the connections still connecting or authenticating beyond their connection-setup timeout. */
    void handleTimedOutConnections(List<ClientResponse> responses, long nowMs) {
        List<String> timedOut = connectionStates.nodesWithSetupTimeout(nowMs);
        for (int i = 0; i < timedOut.size(); i++) {
            String id = timedOut.get(i);
            log.info("Connection to node {} was not established within the setup timeout; disconnecting", id);
            close(id, responses, nowMs, false);
        }
    }

    /** Closes connections with nothing in flight that were unused for connections.max.idle.ms. */
    void closeIdleConnections(long nowMs) {
        List<String> idle = idleConnections.removeIdle(nowMs);
        for (int i = 0; i < idle.size(); i++) {
            String id = idle.get(i);
            log.debug("Closing idle connection to node {}", id);
            closeWithoutBackoff(id);
        }
    }

    /** Closes, without backoff, connections whose authenticated session is over and that have nothing in flight. */
    void retireExpiredSessions(long nowMs) {
        List<String> expired = sessions.expired(nowMs);
        for (int i = 0; i < expired.size(); i++) {
            String id = expired.get(i);
            if (inFlightRequests.count(id) == 0) {
                log.debug("Closing the connection to node {}: its SASL session is about to expire", id);
                closeWithoutBackoff(id);
            }
        }
    }

    /** Closes a healthy connection on purpose (idle, or its session is over): the next connect may start at once. */
    private void closeWithoutBackoff(String id) {
        selector.close(id);
        connectionStates.remove(id);
        apiVersions.remove(id);
        idleConnections.remove(id);
        sessions.remove(id);
    }

    /**
     * Closes the connection as failed: reconnects wait for the backoff, and its in-flight requests complete into
     * {@code responses} as disconnected ({@code timedOut} when a request timeout is the reason).
     */
    void close(String id, List<ClientResponse> responses, long nowMs, boolean timedOut) {
        selector.close(id);
        processDisconnection(id, responses, nowMs, timedOut);
    }

    /** Cleans up after a lost connection: backoff, versions forgotten, in-flight requests failed. */
    private void processDisconnection(String id, List<ClientResponse> responses, long nowMs, boolean timedOut) {
        disconnectedThisPoll.add(id);
        if (events.active()) {
            if (connectionStates.isReady(id)) {
                events.disconnected(id, connectionStates.address(id));
            } else if (!connectionStates.isDisconnected(id)) {
                events.connectionFailed(id, connectionStates.address(id));
            }
        }
        connectionStates.disconnected(id, nowMs);
        apiVersions.remove(id);
        idleConnections.remove(id);
        sessions.remove(id);
        for (InFlight request : inFlightRequests.clearAll(id)) {
            failRequest(request, responses, nowMs, timedOut);
        }
        metadataUpdater.handleServerDisconnect();
    }

    /** A request of a lost connection ends: the caller's completes as disconnected, a metadata refresh as failed. */
    void failRequest(InFlight request, List<ClientResponse> responses, long nowMs, boolean timedOut) {
        switch (request.kind) {
            case METADATA -> metadataUpdater.handleFailure(nowMs);
            case API_VERSIONS, AUTHENTICATION -> { }
            case USER -> responses.add(new ClientResponse(request.request, nowMs, true, timedOut, null, null));
        }
    }

    /** The transport refused the node (TLS); see {@link AuthenticationFailures} for what follows. */
    private void transportAuthenticationFailed(String id, AuthenticationException exception) {
        events.authenticationFailed(id, connectionStates.address(id), exception.getMessage());
        authenticationFailures.transportFailed(id, exception);
    }
}
