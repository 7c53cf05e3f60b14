package dev.courier.producer.internals.network;

import java.io.IOException;

/** A peer announced a frame size that is negative or above the configured maximum: a protocol error. */
public final class InvalidReceiveException extends IOException {

    public InvalidReceiveException(String message) {
        super(message);
    }
}
