package dev.courier.producer.errors;

/** A key or value serializer failed; thrown from {@code send} on the caller's thread. */
public class SerializationException extends CourierException {

    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
