package dev.courier.producer.errors;

/** The broker authenticated the client but its ACLs do not allow the operation. Not retriable. */
public class AuthorizationException extends CourierException {

    public AuthorizationException(String message) {
        super(message);
    }

    public AuthorizationException(String message, Throwable cause) {
        super(message, cause);
    }
}
