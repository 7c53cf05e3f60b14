package dev.courier.producer.internals.record;

import dev.courier.producer.errors.CourierException;

/** Bytes that are not a valid record batch: bad CRC, truncated data, an unreadable compressed stream. */
public class CorruptRecordException extends CourierException {

    public CorruptRecordException(String message) {
        super(message);
    }

    public CorruptRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
