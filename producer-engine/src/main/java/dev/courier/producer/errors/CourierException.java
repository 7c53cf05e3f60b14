package dev.courier.producer.errors;

/** Base of every exception the producer throws or completes a future with. */
public class CourierException extends RuntimeException {

    public CourierException(String message) {
        super(message);
    }

    public CourierException(String message, Throwable cause) {
        super(message, cause);
    }
}
