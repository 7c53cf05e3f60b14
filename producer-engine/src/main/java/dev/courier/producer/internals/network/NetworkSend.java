package dev.courier.producer.internals.network;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.Objects;

/**
 * One complete frame (size prefix included) on its way to a connection. Written with gathering
 * writes, possibly over many polls when the socket buffer is small.
 *
 * <p>Owned by the sender thread; the buffers must not be touched by anyone else until
 * {@link #completed()}.
 */
public final class NetworkSend {

    private final String destination;
    private final ByteBuffer[] buffers;
    private final long size;
    private long remaining;
    /** Index of the first buffer that still has bytes; lets long gathering lists skip drained buffers. */
    private int firstPending;

    public NetworkSend(String destination, ByteBuffer[] buffers) {
        this.destination = Objects.requireNonNull(destination, "destination");
        this.buffers = Objects.requireNonNull(buffers, "buffers");
        long total = 0;
        for (ByteBuffer buffer : buffers) {
            total += buffer.remaining();
        }
        this.size = total;
        this.remaining = total;
    }

    public String destination() {
        return destination;
    }

    /** Total bytes of the frame, as it was when the send was created. */
    public long size() {
        return size;
    }

    public boolean completed() {
        return remaining == 0;
    }

    /**
     * Writes as much as the channel accepts now.
     *
     * @return bytes written by this call (possibly 0)
     */
    public long writeTo(GatheringByteChannel channel) throws IOException {
        while (firstPending < buffers.length && !buffers[firstPending].hasRemaining()) {
            firstPending++;
        }
        if (firstPending == buffers.length) {
            remaining = 0;
            return 0;
        }
        long written = channel.write(buffers, firstPending, buffers.length - firstPending);
        if (written < 0) {
            throw new java.io.EOFException("Channel closed while writing to " + destination);
        }
        remaining -= written;
        return written;
    }

    @Override
    public String toString() {
        return "NetworkSend(to " + destination + ", " + (size - remaining) + "/" + size + " bytes)";
    }
}
