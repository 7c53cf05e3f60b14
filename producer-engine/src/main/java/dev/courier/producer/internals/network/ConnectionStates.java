package dev.courier.producer.internals.network;

import dev.courier.producer.BrokerConnection;
import dev.courier.producer.internals.util.ExponentialBackoff;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-node connection lifecycle: DISCONNECTED -> CONNECTING -> CHECKING_API_VERSIONS -> [AUTHENTICATING ->]
 * READY, with
 * exponential reconnect backoff and connection-setup timeout (both with jitter) that grow with
 * consecutive failures and reset once a connection becomes ready. Sender thread only.
 */
final class ConnectionStates {

    enum State {
        CONNECTING, CHECKING_API_VERSIONS, AUTHENTICATING, READY, DISCONNECTED;

        boolean isPreparing() {
            return this == CONNECTING || this == CHECKING_API_VERSIONS || this == AUTHENTICATING;
        }

        /** States bounded by the connection-setup timeout (counted from the connect attempt). */
        boolean isSetupTimed() {
            return this == CONNECTING || this == AUTHENTICATING;
        }
    }

    private static final class NodeState {
        State state = State.DISCONNECTED;
        long lastConnectAttemptMs;
        int failedAttempts;
        int failedConnectAttempts;
        long reconnectBackoffMs;
        long setupTimeoutMs;
        /** host:port, for the published snapshot; null when connected through the old two-argument path. */
        String address;
        /** When the state (as published: connecting, connected, disconnected) last changed. */
        long sinceMs;
    }

    private final ExponentialBackoff reconnectBackoff;
    private final ExponentialBackoff setupTimeout;
    private final Map<String, NodeState> nodes = new HashMap<>();
    /** Bumped on every change, so a snapshot is rebuilt only when something changed. */
    private long version;

    ConnectionStates(long reconnectBackoffMs, long reconnectBackoffMaxMs, long setupTimeoutMs, long setupTimeoutMaxMs) {
        this.reconnectBackoff = ExponentialBackoff.of(reconnectBackoffMs, reconnectBackoffMaxMs);
        this.setupTimeout = ExponentialBackoff.of(setupTimeoutMs, setupTimeoutMaxMs);
    }

    /** True when no connection exists and none failed recently (outside the backoff). */
    boolean canConnect(String id, long nowMs) {
        NodeState s = nodes.get(id);
        return s == null || (s.state == State.DISCONNECTED && nowMs - s.lastConnectAttemptMs >= s.reconnectBackoffMs);
    }

    boolean isBlackedOut(String id, long nowMs) {
        NodeState s = nodes.get(id);
        return s != null && s.state == State.DISCONNECTED && nowMs - s.lastConnectAttemptMs < s.reconnectBackoffMs;
    }

    /**
     * 0 when a connect may start now, the remaining backoff when disconnected, and Long.MAX_VALUE
     * while connecting or connected (a network event will wake the caller).
     */
    long connectionDelay(String id, long nowMs) {
        NodeState s = nodes.get(id);
        if (s == null) {
            return 0;
        }
        if (s.state == State.DISCONNECTED) {
            return Math.max(s.reconnectBackoffMs - (nowMs - s.lastConnectAttemptMs), 0);
        }
        return Long.MAX_VALUE;
    }

    void connecting(String id, String address, long nowMs) {
        connecting(id, nowMs);
        nodes.get(id).address = address;
    }

    /** The host part of the address the node was last dialled at, or null if none was given. */
    String host(String id) {
        NodeState s = nodes.get(id);
        if (s == null || s.address == null) {
            return null;
        }
        int colon = s.address.lastIndexOf(':');
        return colon < 0 ? s.address : s.address.substring(0, colon);
    }

    void connecting(String id, long nowMs) {
        version++;
        NodeState s = nodes.computeIfAbsent(id, k -> {
            NodeState fresh = new NodeState();
            fresh.reconnectBackoffMs = reconnectBackoff.backoffMs(0);
            fresh.setupTimeoutMs = setupTimeout.backoffMs(0);
            return fresh;
        });
        if (s.state != State.CONNECTING) {
            s.sinceMs = nowMs;
        }
        s.state = State.CONNECTING;
        s.lastConnectAttemptMs = nowMs;
    }

    void checkingApiVersions(String id) {
        NodeState s = nodes.get(id);
        if (s != null) {
            s.state = State.CHECKING_API_VERSIONS;
        }
    }

    void ready(String id, long nowMs) {
        NodeState s = nodes.get(id);
        if (s != null) {
            s.sinceMs = nowMs;
        }
        ready(id);
    }

    void authenticating(String id) {
        NodeState s = nodes.get(id);
        if (s != null) {
            version++;
            s.state = State.AUTHENTICATING;
        }
    }

    void ready(String id) {
        NodeState s = nodes.get(id);
        if (s != null) {
            version++;
            s.state = State.READY;
            s.failedAttempts = 0;
            s.failedConnectAttempts = 0;
            s.reconnectBackoffMs = reconnectBackoff.backoffMs(0);
            s.setupTimeoutMs = setupTimeout.backoffMs(0);
        }
    }

    /** The connection failed or was lost: the next attempt waits for a (growing) backoff. */
    void disconnected(String id, long nowMs) {
        NodeState s = nodes.get(id);
        if (s == null) {
            return;
        }
        version++;
        if (s.state != State.DISCONNECTED) {
            s.sinceMs = nowMs;
        }
        if (s.state.isSetupTimed()) {
            s.failedConnectAttempts++;
            s.setupTimeoutMs = setupTimeout.backoffMs(s.failedConnectAttempts);
        }
        s.state = State.DISCONNECTED;
        s.lastConnectAttemptMs = nowMs;
        s.reconnectBackoffMs = reconnectBackoff.backoffMs(s.failedAttempts);
        s.failedAttempts++;
    }

    /** Forgets the node (closed on purpose, e.g. idle): the next connect may start at once. */
    void remove(String id) {
        if (nodes.remove(id) != null) {
            version++;
        }
    }

    /** Changes whenever a node's state does; equal values mean an unchanged {@link #snapshot()}. */
    long version() {
        return version;
    }

    /** Every node with a state, in the published form (API version checks count as connecting). */
    List<NodeConnection> snapshot() {
        List<NodeConnection> out = new ArrayList<>(nodes.size());
        for (Map.Entry<String, NodeState> entry : nodes.entrySet()) {
            NodeState s = entry.getValue();
            BrokerConnection.State published = switch (s.state) {
                case READY -> BrokerConnection.State.CONNECTED;
                case CONNECTING, CHECKING_API_VERSIONS, AUTHENTICATING -> BrokerConnection.State.CONNECTING;
                case DISCONNECTED -> BrokerConnection.State.DISCONNECTED;
            };
            out.add(new NodeConnection(Integer.parseInt(entry.getKey()), s.address, published, s.sinceMs,
                    s.failedAttempts));
        }
        return List.copyOf(out);
    }

    State state(String id) {
        NodeState s = nodes.get(id);
        return s == null ? State.DISCONNECTED : s.state;
    }

    boolean isReady(String id) {
        return state(id) == State.READY;
    }

    /** host:port the node was last connected at, or null. */
    String address(String id) {
        NodeState s = nodes.get(id);
        return s == null ? null : s.address;
    }

    boolean isPreparing(String id) {
        return state(id).isPreparing();
    }

    boolean isDisconnected(String id) {
        NodeState s = nodes.get(id);
        return s != null && s.state == State.DISCONNECTED;
    }

    long lastConnectAttemptMs(String id) {
        NodeState s = nodes.get(id);
        return s == null ? 0 : s.lastConnectAttemptMs;
    }

    /** Nodes still connecting or authenticating beyond their connection-setup timeout. */
    List<String> nodesWithSetupTimeout(long nowMs) {
        List<String> expired = null;
        for (Map.Entry<String, NodeState> entry : nodes.entrySet()) {
            NodeState s = entry.getValue();
            if (s.state.isSetupTimed() && nowMs - s.lastConnectAttemptMs > s.setupTimeoutMs) {
                if (expired == null) {
                    expired = new ArrayList<>();
                }
                expired.add(entry.getKey());
            }
        }
        return expired == null ? List.of() : expired;
    }

    /** Milliseconds until the earliest connection-setup timeout, or Long.MAX_VALUE when none is connecting. */
    long nextSetupTimeoutDelayMs(long nowMs) {
        long min = Long.MAX_VALUE;
        for (NodeState s : nodes.values()) {
            if (s.state.isSetupTimed()) {
                min = Math.min(min, Math.max(s.lastConnectAttemptMs + s.setupTimeoutMs - nowMs + 1, 0));
            }
        }
        return min;
    }

    List<String> readyNodes() {
        List<String> ready = new ArrayList<>();
        for (Map.Entry<String, NodeState> entry : nodes.entrySet()) {
            if (entry.getValue().state == State.READY) {
                ready.add(entry.getKey());
            }
        }
        return ready;
    }
}
