package dev.courier.producer.internals.security;

/**
 * The client side of one SASL mechanism for one connection: produces tokens and checks the server's.
 * One instance per authentication; never shared between connections.
 */
interface SaslMechanismClient {

    /** The mechanism name as the broker knows it, e.g. {@code SCRAM-SHA-256}. */
    String mechanism();

    /** The first token, sent right after the handshake. */
    byte[] initialResponse();

    /**
     * Evaluates the server's token.
     *
     * @return the next client token, or null when the exchange is complete on the client side
     * @throws dev.courier.producer.errors.SaslAuthenticationException when the server's token is invalid
     */
    byte[] evaluateChallenge(byte[] challenge);

    /** True once the client has verified everything it expects from the server. */
    boolean isComplete();
}
