package dev.courier.producer.errors;

/** A record larger than max.request.size or buffer.memory, or one the broker refused as too large. */
public class RecordTooLargeException extends CourierException {

    public RecordTooLargeException(String message) {
        super(message);
    }
}
