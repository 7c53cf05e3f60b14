package dev.courier.producer.internals.security;

import dev.courier.producer.errors.SaslAuthenticationException;
import java.nio.charset.StandardCharsets;

/**
 * SASL OAUTHBEARER (RFC 7628), client side: one token, {@code n,,\x01auth=Bearer <token>\x01\x01}.
 * A server that rejects the token answers with an error challenge (JSON); the client then sends the
 * single byte {@code \x01}, and the server ends the exchange with an authentication failure.
 */
final class OAuthBearerMechanism implements SaslMechanismClient {

    private final OAuthBearerToken token;
    private boolean complete;
    private boolean rejected;

    OAuthBearerMechanism(OAuthBearerToken token) {
        this.token = token;
    }

    @Override
    public String mechanism() {
        return "OAUTHBEARER";
    }

    @Override
    public byte[] initialResponse() {
        return clientResponse(token.value());
    }

    static byte[] clientResponse(String token) {
        return ("n,,\u0001auth=Bearer " + token + "\u0001\u0001").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] evaluateChallenge(byte[] challenge) {
        if (challenge.length == 0) {
            complete = true;
            return null;
        }
        if (rejected) {
            throw new SaslAuthenticationException("OAUTHBEARER: unexpected server message after an error challenge");
        }
        rejected = true; // RFC 7628 3.2.2: acknowledge the error; the broker then fails the authentication
        return new byte[] {1};
    }

    @Override
    public boolean isComplete() {
        return complete;
    }

    @Override
    public String toString() {
        return "OAuthBearerMechanism(" + token + ")";
    }
}
