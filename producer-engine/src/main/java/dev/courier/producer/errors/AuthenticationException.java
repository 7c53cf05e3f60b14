package dev.courier.producer.errors;

/** The client could not authenticate to the broker (TLS or SASL). Not retriable. */
public class AuthenticationException extends CourierException {

    public AuthenticationException(String message) {
        super(message);
    }

    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
