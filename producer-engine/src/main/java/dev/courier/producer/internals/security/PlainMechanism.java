package dev.courier.producer.internals.security;

import java.nio.charset.StandardCharsets;

/** SASL PLAIN (RFC 4616): one token, {@code \0username\0password}; the server answers with an empty token. */
final class PlainMechanism implements SaslMechanismClient {

    private final String username;
    private final String password;
    private boolean complete;

    PlainMechanism(String username, String password) {
        this.username = username;
        this.password = password;
    }

    @Override
    public String mechanism() {
        return "PLAIN";
    }

    @Override
    public byte[] initialResponse() {
        return ("\0" + username + "\0" + password).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] evaluateChallenge(byte[] challenge) {
        complete = true;
        return null;
    }

    @Override
    public boolean isComplete() {
        return complete;
    }

    @Override
    public String toString() {
        return "PlainMechanism(user=" + username + ")";
    }
}
