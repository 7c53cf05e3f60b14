package dev.courier.producer.errors;

/** The broker speaks no version of an API this client can use. */
public class UnsupportedVersionException extends CourierException {

    public UnsupportedVersionException(String message) {
        super(message);
    }
}
