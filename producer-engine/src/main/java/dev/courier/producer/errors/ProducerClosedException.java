package dev.courier.producer.errors;

/** The record was aborted because the producer was closed forcibly before its outcome was known. */
public class ProducerClosedException extends CourierException {

    public ProducerClosedException(String message) {
        super(message);
    }
}
