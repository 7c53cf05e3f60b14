package dev.courier.producer.errors;

/**
 * No room for the record: {@code buffer.memory} (or {@code max.buffered.records}) stayed exhausted for
 * {@code max.block.ms}, or at once for {@code trySend}. The record was not accepted.
 */
public class BufferExhaustedException extends TimeoutException {

    private final long requestedBytes;

    public BufferExhaustedException(String message) {
        this(message, -1);
    }

    /** @param requestedBytes the memory that was asked for, or -1 when memory was not what ran out */
    public BufferExhaustedException(String message, long requestedBytes) {
        super(message);
        this.requestedBytes = requestedBytes;
    }

    /**
     * The bytes of {@code buffer.memory} the producer tried to take for the record (a whole batch's buffer when
     * it needed a new batch), or -1 when it was {@code max.buffered.records} that had no room.
     */
    public long requestedBytes() {
        return requestedBytes;
    }
}
