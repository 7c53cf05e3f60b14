package dev.courier.producer.internals.security;

import dev.courier.producer.errors.SaslAuthenticationException;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.protocol.RequestBody;
import dev.courier.producer.internals.protocol.SaslAuthenticateRequest;
import dev.courier.producer.internals.protocol.SaslAuthenticateResponse;
import dev.courier.producer.internals.protocol.SaslHandshakeRequest;
import dev.courier.producer.internals.protocol.SaslHandshakeResponse;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * SASL over Kafka's framed protocol for one connection: SaslHandshake v1 naming the mechanism, then
 * SaslAuthenticate rounds carrying the mechanism's tokens until both sides are done. Remembers the
 * session lifetime the broker grants, so the network client can retire the connection before the
 * broker would refuse it.
 */
final class SaslAuthenticator implements Authenticator {

    private enum State { SEND_HANDSHAKE, AWAIT_HANDSHAKE, SEND_TOKEN, AWAIT_TOKEN, COMPLETE, FAILED }

    private final String nodeId;
    private final String mechanism;
    private final Supplier<SaslMechanismClient> mechanismClient;
    private SaslMechanismClient client;
    private State state = State.SEND_HANDSHAKE;
    private byte[] pendingToken;
    private long sessionExpiresAtMs = Long.MAX_VALUE;

    /**
     * @param mechanismClient creates the mechanism client once the broker accepted the mechanism
     *                        (an OAUTHBEARER token is only fetched then)
     */
    SaslAuthenticator(String nodeId, String mechanism, Supplier<SaslMechanismClient> mechanismClient) {
        this.nodeId = nodeId;
        this.mechanism = mechanism;
        this.mechanismClient = mechanismClient;
    }

    @Override
    public RequestBody nextRequest(long nowMs) {
        switch (state) {
            case SEND_HANDSHAKE -> {
                state = State.AWAIT_HANDSHAKE;
                return new SaslHandshakeRequest(mechanism);
            }
            case SEND_TOKEN -> {
                state = State.AWAIT_TOKEN;
                byte[] token = pendingToken;
                pendingToken = null;
                return new SaslAuthenticateRequest(token);
            }
            default -> {
                return null;
            }
        }
    }

    @Override
    public void handleResponse(Object response, long nowMs) {
        try {
            if (state == State.AWAIT_HANDSHAKE && response instanceof SaslHandshakeResponse handshake) {
                onHandshake(handshake);
            } else if (state == State.AWAIT_TOKEN && response instanceof SaslAuthenticateResponse authenticate) {
                onAuthenticate(authenticate, nowMs);
            } else {
                throw new SaslAuthenticationException("Unexpected " + response.getClass().getSimpleName()
                        + " from node " + nodeId + " while authenticating (state " + state + ")");
            }
        } catch (SaslAuthenticationException e) {
            state = State.FAILED;
            throw e;
        } catch (RuntimeException e) {
            // a mechanism that cannot process the server's token: as final as a refusal (messages carry no secret)
            state = State.FAILED;
            throw new SaslAuthenticationException(mechanism + " authentication to node " + nodeId + " failed: " + e, e);
        }
    }

    private void onHandshake(SaslHandshakeResponse response) {
        Errors error = Errors.forCode(response.errorCode());
        if (error == Errors.UNSUPPORTED_SASL_MECHANISM) {
            throw new SaslAuthenticationException("Node " + nodeId + " does not enable SASL mechanism " + mechanism
                    + " (sasl.mechanism); it enables " + response.mechanisms());
        }
        if (error != Errors.NONE) {
            throw new SaslAuthenticationException("Node " + nodeId + " refused the SASL handshake for " + mechanism
                    + ": " + error);
        }
        client = mechanismClient.get();
        pendingToken = client.initialResponse();
        state = State.SEND_TOKEN;
    }

    private void onAuthenticate(SaslAuthenticateResponse response, long nowMs) {
        Errors error = Errors.forCode(response.errorCode());
        if (error != Errors.NONE) {
            String message = response.errorMessage() == null ? error.name() : response.errorMessage();
            throw new SaslAuthenticationException(mechanism + " authentication to node " + nodeId + " failed: "
                    + message);
        }
        byte[] next = client.evaluateChallenge(response.authBytes());
        if (next != null) {
            pendingToken = next;
            state = State.SEND_TOKEN;
            return;
        }
        if (!client.isComplete()) {
            throw new SaslAuthenticationException(mechanism + " authentication to node " + nodeId
                    + " ended before the mechanism completed");
        }
        state = State.COMPLETE;
        if (response.sessionLifetimeMs() > 0) {
            sessionExpiresAtMs = nowMs + retireAfterMs(response.sessionLifetimeMs());
        }
    }

    /**
     * Retire the connection at 85-95% of the session lifetime (jittered so that connections to many
     * brokers do not all reconnect at once), leaving time for requests in flight to finish.
     */
    static long retireAfterMs(long sessionLifetimeMs) {
        double fraction = 0.85 + ThreadLocalRandom.current().nextDouble() * 0.10;
        return (long) (sessionLifetimeMs * fraction);
    }

    @Override
    public boolean isComplete() {
        return state == State.COMPLETE;
    }

    @Override
    public long sessionExpiresAtMs() {
        return sessionExpiresAtMs;
    }

    @Override
    public String toString() {
        return "SaslAuthenticator(node " + nodeId + ", " + mechanism + ", " + state + ")";
    }
}
