package dev.courier.producer.errors;

/** buffer.memory stayed exhausted for max.block.ms; the record was not accepted. */
public class BufferExhaustedException extends TimeoutException {

    public BufferExhaustedException(String message) {
        super(message);
    }
}
