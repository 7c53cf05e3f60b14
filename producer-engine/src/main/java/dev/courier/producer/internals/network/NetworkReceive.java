package dev.courier.producer.internals.network;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One complete size-prefixed frame read from a connection: the payload without the 4-byte size,
 * positioned at 0 (response header first).
 */
public final class NetworkReceive {

    private final String source;
    private final ByteBuffer payload;

    public NetworkReceive(String source, ByteBuffer payload) {
        this.source = Objects.requireNonNull(source, "source");
        this.payload = Objects.requireNonNull(payload, "payload");
    }

    /** Id of the connection the frame came from. */
    public String source() {
        return source;
    }

    /** The frame's bytes after the size prefix; the reader consumes it. */
    public ByteBuffer payload() {
        return payload;
    }

    @Override
    public String toString() {
        return "NetworkReceive(from " + source + ", " + payload.capacity() + " bytes)";
    }
}
