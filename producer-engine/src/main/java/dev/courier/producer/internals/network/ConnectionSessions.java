package dev.courier.producer.internals.network;

import dev.courier.producer.errors.AuthenticationException;
import dev.courier.producer.internals.protocol.RequestBody;
import dev.courier.producer.internals.security.Authenticator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Authentication of {@link NetworkClient}'s connections: runs each new connection's {@link Authenticator}
 * between ApiVersions and READY (through a {@link Link} to the client), and remembers when each
 * authenticated session must be retired.
 *
 * <p>Re-authentication (KIP-368) is done by retiring the connection, not by re-running SASL on it: once
 * {@link Authenticator#sessionExpiresAtMs()} (85-95% of the broker's session lifetime) has passed, the
 * connection takes no new request; when its in-flight requests have answered it is closed without
 * backoff, and the next request opens (and authenticates) a fresh one. Simple and correct, at the cost
 * of one reconnect per session lifetime. Sender thread only.
 */
final class ConnectionSessions {

    /** What authentication needs from the network client. */
    interface Link {

        /** The connection moves to AUTHENTICATING (it counts against the setup timeout). */
        void authenticating(String id);

        /**
         * Sends a request on a connection that is not READY yet.
         *
         * @throws AuthenticationException when the node cannot take it
         */
        void send(String id, RequestBody body, long nowMs);

        /** Authentication is complete: the connection is READY. */
        void ready(String id);

        /** Authentication failed: close the connection and report it. */
        void failed(String id, AuthenticationException e, long nowMs);
    }

    private final Authenticator.Factory factory;
    private final Link link;
    private final Map<String, Authenticator> authenticating = new HashMap<>();
    private final Map<String, Long> expiresAtMs = new HashMap<>();
    /** Ready connections that have not answered a request since authentication (or ApiVersions) yet. */
    private final java.util.Set<String> unanswered = new java.util.HashSet<>();

    ConnectionSessions(Authenticator.Factory factory, Link link) {
        this.factory = factory;
        this.link = link;
    }

    /**
     * The connection's versions are known: authenticate it (at once READY when nothing is required).
     *
     * @param host the host name the connection dialled (mechanisms that name the server need it), or null
     */
    void start(String id, String host, long nowMs) {
        Authenticator authenticator = factory.create(id, host, nowMs);
        authenticating.put(id, authenticator);
        if (!authenticator.isComplete()) {
            link.authenticating(id);
        }
        proceed(id, authenticator, nowMs);
    }

    /** The answer to an authentication request of the connection. */
    void handleResponse(String id, Object body, long nowMs) {
        Authenticator authenticator = authenticating.get(id);
        if (authenticator == null) {
            throw new IllegalStateException("Node " + id + " answered an authentication request nobody waits for");
        }
        try {
            authenticator.handleResponse(body, nowMs);
        } catch (AuthenticationException e) {
            authenticating.remove(id);
            link.failed(id, e, nowMs);
            return;
        }
        proceed(id, authenticator, nowMs);
    }

    /** Sends the authenticator's next request, or makes the connection READY once it is done. */
    private void proceed(String id, Authenticator authenticator, long nowMs) {
        try {
            RequestBody body = authenticator.nextRequest(nowMs);
            if (body != null) {
                link.send(id, body, nowMs);
            } else if (authenticator.isComplete()) {
                authenticated(id);
                link.ready(id);
            }
        } catch (AuthenticationException e) {
            authenticating.remove(id);
            link.failed(id, e, nowMs);
        }
    }

    /** The connection finished authenticating: remember when its session ends. */
    private void authenticated(String id) {
        Authenticator authenticator = authenticating.remove(id);
        unanswered.add(id);
        if (authenticator != null && authenticator.sessionExpiresAtMs() != Long.MAX_VALUE) {
            expiresAtMs.put(id, authenticator.sessionExpiresAtMs());
        }
    }

    /** True while the connection's session may carry new requests. */
    boolean isUsable(String id, long nowMs) {
        if (expiresAtMs.isEmpty()) {
            return true;
        }
        Long expiry = expiresAtMs.get(id);
        return expiry == null || nowMs < expiry;
    }

    /** Connections whose session is over; the caller closes those with nothing in flight. */
    List<String> expired(long nowMs) {
        if (expiresAtMs.isEmpty()) {
            return List.of();
        }
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, Long> entry : expiresAtMs.entrySet()) {
            if (nowMs >= entry.getValue()) {
                expired.add(entry.getKey());
            }
        }
        return expired;
    }

    /** Ms until the next session reaches its retirement time, or Long.MAX_VALUE. */
    long nextExpiryDelayMs(long nowMs) {
        if (expiresAtMs.isEmpty()) {
            return Long.MAX_VALUE;
        }
        long min = Long.MAX_VALUE;
        for (long expiry : expiresAtMs.values()) {
            if (expiry > nowMs) {
                min = Math.min(min, expiry - nowMs);
            }
        }
        return min;
    }

    /** The connection answered a request. */
    void answered(String id) {
        if (!unanswered.isEmpty()) {
            unanswered.remove(id);
        }
    }

    /**
     * True when a ready connection is lost before answering anything: what a broker does when the client
     * speaks PLAINTEXT to a SASL listener (it answers ApiVersions, then closes on the next request).
     */
    boolean lostBeforeFirstAnswer(String id) {
        return unanswered.contains(id);
    }

    void remove(String id) {
        authenticating.remove(id);
        expiresAtMs.remove(id);
        unanswered.remove(id);
    }

    void close() {
        factory.close();
    }
}
