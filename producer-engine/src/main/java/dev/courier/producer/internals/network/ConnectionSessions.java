package dev.courier.producer.internals.network;

import dev.courier.producer.internals.security.Authenticator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-connection authentication bookkeeping for {@link NetworkClient}: the authenticator of each
 * connection still authenticating, and when each authenticated session must be retired.
 *
 * <p>Re-authentication (KIP-368) is done by retiring the connection, not by re-running SASL on it: once
 * {@link Authenticator#sessionExpiresAtMs()} (85-95% of the broker's session lifetime) has passed, the
 * connection takes no new request; when its in-flight requests have answered it is closed without
 * backoff, and the next request opens (and authenticates) a fresh one. Simple and correct, at the cost
 * of one reconnect per session lifetime. Sender thread only.
 */
final class ConnectionSessions {

    private final Authenticator.Factory factory;
    private final Map<String, Authenticator> authenticating = new HashMap<>();
    private final Map<String, Long> expiresAtMs = new HashMap<>();
    /** Ready connections that have not answered a request since authentication (or ApiVersions) yet. */
    private final java.util.Set<String> unanswered = new java.util.HashSet<>();

    ConnectionSessions(Authenticator.Factory factory) {
        this.factory = factory;
    }

    Authenticator begin(String id, long nowMs) {
        Authenticator authenticator = factory.create(id, nowMs);
        authenticating.put(id, authenticator);
        return authenticator;
    }

    Authenticator authenticating(String id) {
        return authenticating.get(id);
    }

    /** The connection finished authenticating: remember when its session ends. */
    void authenticated(String id) {
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
