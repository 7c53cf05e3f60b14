package dev.courier.producer.errors;

/** A connection failed or was closed while a request was outstanding. */
public class NetworkException extends RetriableException {

    public NetworkException(String message) {
        super(message);
    }

    public NetworkException(String message, Throwable cause) {
        super(message, cause);
    }
}
