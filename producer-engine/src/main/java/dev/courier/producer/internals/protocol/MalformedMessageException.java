package dev.courier.producer.internals.protocol;

import dev.courier.producer.errors.CourierException;

/** Bytes received from a broker do not match the schema of the expected message and version. */
public class MalformedMessageException extends CourierException {

    public MalformedMessageException(String message) {
        super(message);
    }

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
