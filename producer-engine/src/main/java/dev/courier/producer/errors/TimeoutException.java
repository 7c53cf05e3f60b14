package dev.courier.producer.errors;

/** Something did not happen in time: metadata within max.block.ms, delivery within delivery.timeout.ms, a request. */
public class TimeoutException extends RetriableException {

    public TimeoutException(String message) {
        super(message);
    }

    public TimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
