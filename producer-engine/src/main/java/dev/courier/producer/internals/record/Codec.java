package dev.courier.producer.internals.record;

import java.nio.ByteBuffer;

/**
 * One codec's compressor, holding reusable state (scratch output, native contexts).
 *
 * <p>Implementations are created only through {@link Compression} for the codec in use, so the
 * classes of optional libraries load only when their codec is chosen. Not thread-safe: one instance
 * per {@link Compression}, used from the sender thread.
 */
interface Codec {

    /**
     * Compresses {@code src[offset, offset + length)} into one stream in Kafka's format for this codec.
     *
     * @return the stream, positioned 0..size, in scratch space owned by this codec: valid until the
     *     next call on this instance
     */
    ByteBuffer compress(byte[] src, int offset, int length);

    /** Releases native resources; the instance must not be used afterwards. */
    void close();
}
