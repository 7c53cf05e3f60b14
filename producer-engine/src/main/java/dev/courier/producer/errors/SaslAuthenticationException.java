package dev.courier.producer.errors;

/**
 * SASL authentication failed: wrong credentials, a mechanism the broker does not enable, or a server
 * whose SCRAM signature does not prove it knows the password. The message never carries a secret.
 */
public class SaslAuthenticationException extends AuthenticationException {

    public SaslAuthenticationException(String message) {
        super(message);
    }

    public SaslAuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
