package dev.courier.producer.errors;

/**
 * The TLS handshake with a broker failed: the broker's certificate is not trusted or does not match the host
 * dialled, no protocol or cipher suite is common to both sides, or the broker rejected the client certificate.
 * Retrying does not help until the certificates or the configuration change.
 */
public class SslAuthenticationException extends AuthenticationException {

    public SslAuthenticationException(String message) {
        super(message);
    }

    public SslAuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
