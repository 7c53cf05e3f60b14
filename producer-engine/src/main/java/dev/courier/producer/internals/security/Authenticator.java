package dev.courier.producer.internals.security;

import dev.courier.producer.internals.protocol.RequestBody;

/**
 * Authenticates one connection after ApiVersions and before it is READY; the network client drives it
 * and knows nothing of any mechanism. It only exchanges request and response bodies over the connection,
 * so it works the same over a plaintext or a TLS transport. {@link #NONE} is the PLAINTEXT/SSL
 * implementation: complete at once.
 *
 * <p>Sender thread only, one instance per connection attempt (see {@link Factory}).
 */
public interface Authenticator {

    /** Creates the authenticator of each new connection. */
    @FunctionalInterface
    interface Factory extends AutoCloseable {

        /** For connections that need no authentication step. */
        Factory NONE = (nodeId, nowMs) -> Authenticator.NONE;

        Authenticator create(String nodeId, long nowMs);

        /**
         * As {@link #create(String, long)} for a connection that dialled {@code host} (null if unknown): GSSAPI
         * names the broker's Kerberos service principal after it.
         */
        default Authenticator create(String nodeId, String host, long nowMs) {
            return create(nodeId, nowMs);
        }

        /** Releases what the factory holds (e.g. a token refresher); idempotent. */
        @Override
        default void close() {
        }
    }

    /** No authentication step: the connection is ready as soon as versions are known. */
    Authenticator NONE = new Authenticator() {
        @Override
        public RequestBody nextRequest(long nowMs) {
            return null;
        }

        @Override
        public void handleResponse(Object response, long nowMs) {
            throw new IllegalStateException("No authentication request was sent");
        }

        @Override
        public boolean isComplete() {
            return true;
        }

        @Override
        public long sessionExpiresAtMs() {
            return Long.MAX_VALUE;
        }
    };

    /**
     * The next request to send on the connection, or null while waiting for a response (or when
     * complete). Called once after each response, and once at the start.
     *
     * @throws dev.courier.producer.errors.AuthenticationException when authentication cannot proceed
     */
    RequestBody nextRequest(long nowMs);

    /**
     * Takes the parsed response to the last request.
     *
     * @throws dev.courier.producer.errors.AuthenticationException when the broker or the mechanism
     *         refuses; the connection must then be closed
     */
    void handleResponse(Object response, long nowMs);

    /** True once the connection may carry other requests. */
    boolean isComplete();

    /**
     * Monotonic time by which the connection must stop carrying requests because the broker's session
     * ends (KIP-368), with a safety margin already taken off; Long.MAX_VALUE when it never does.
     */
    long sessionExpiresAtMs();
}
