package dev.courier.producer.internals.network;

import dev.courier.producer.errors.AuthenticationException;
import dev.courier.producer.internals.metadata.Metadata;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Why each node's last authentication (TLS handshake or SASL) failed, until a connection to it authenticates:
 * what {@link NetworkClient#authenticationFailure} answers, so records bound for the node fail with it instead of
 * waiting for delivery.timeout.ms. Each failure also goes to the {@link Metadata}, so records waiting for metadata
 * fail instead of waiting for max.block.ms. Not retriable, yet the client keeps reconnecting with the usual backoff:
 * credentials and certificates can be fixed on the broker side. Sender thread only.
 */
final class AuthenticationFailures {

    /** Logs under NetworkClient's name: these lines were its own, and log configurations name it. */
    private static final Logger log = LoggerFactory.getLogger(NetworkClient.class);

    private final Metadata metadata;
    private final Map<String, RuntimeException> failures = new HashMap<>();

    AuthenticationFailures(Metadata metadata) {
        this.metadata = metadata;
    }

    /** Why the node's last authentication failed, or null when it has not, or has succeeded since. */
    RuntimeException get(String id) {
        return failures.isEmpty() ? null : failures.get(id);
    }

    /** The transport refused the node (TLS): logged as an error the first time, at debug level while it repeats. */
    void transportFailed(String id, AuthenticationException exception) {
        if (failures.put(id, exception) == null) {
            log.error("Authentication to node {} failed: {}", id, exception.getMessage());
        } else {
            log.debug("Authentication to node {} failed again: {}", id, exception.getMessage());
        }
        metadata.authenticationFailed(exception);
    }

    /** The connection's authenticator (SASL) failed; the caller has logged it and closed the connection. */
    void authenticatorFailed(String id, AuthenticationException exception) {
        failures.put(id, exception);
        metadata.authenticationFailed(exception);
    }

    /** A connection to the node authenticated. */
    void succeeded(String id) {
        failures.remove(id);
    }
}
