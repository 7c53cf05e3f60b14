package dev.courier.producer;

import javax.net.ssl.SSLContext;

/**
 * Supplies the TLS context of the producer's connections, in place of the trust and key material of the
 * {@code ssl.*} keys. Passed as an object under {@link ProducerConfig#SSL_CONTEXT_PROVIDER} (a Courier key; the
 * official producer has no equivalent). It is asked once at construction and again for every new TLS
 * connection, so a provider that returns a fresh context after certificates rotate (a reloaded Spring Boot SSL
 * bundle, for instance) is picked up by the next connection; open connections keep the context they started
 * with.
 *
 * <p>{@code ssl.enabled.protocols}, {@code ssl.cipher.suites} and {@code ssl.endpoint.identification.algorithm}
 * still apply to every connection. Called on the producer's network thread: it should return quickly and must
 * be thread-safe. A provider that throws or returns null when asked for a new connection leaves the producer
 * on the last context it returned.
 */
@FunctionalInterface
public interface SslContextProvider {

    /** The context for the next connection; never null at construction. */
    SSLContext sslContext();
}
