package dev.courier.producer.errors;

/** A failure that may succeed if tried again; the producer retries these itself within its limits. */
public class RetriableException extends CourierException {

    public RetriableException(String message) {
        super(message);
    }

    public RetriableException(String message, Throwable cause) {
        super(message, cause);
    }
}
