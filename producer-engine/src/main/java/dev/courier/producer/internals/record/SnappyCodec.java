package dev.courier.producer.internals.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.xerial.snappy.Snappy;

/**
 * snappy in snappy-java's stream format (the "xerial" format Kafka uses, not the official framing).
 *
 * <p>Layout: magic {@code 82 'SNAPPY' 00}, int32 version 1, int32 minimum compatible version 1, then
 * chunks of int32 big-endian length + one raw snappy block of at most 32 KiB of input. This is the only
 * class that touches the optional snappy-java library; it is loaded only when snappy is in use.
 */
final class SnappyCodec implements Codec {

    static final byte[] MAGIC = {(byte) 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
    static final int HEADER_SIZE = 16;
    /** Input per chunk, snappy-java's default block size. */
    static final int CHUNK_SIZE = 32 * 1024;

    private final GrowableBytes out = new GrowableBytes(1024);

    @Override
    public ByteBuffer compress(byte[] src, int offset, int length) {
        out.clear();
        int chunks = (length + CHUNK_SIZE - 1) / CHUNK_SIZE;
        out.ensureRoom(HEADER_SIZE + chunks * (4 + Snappy.maxCompressedLength(Math.min(length, CHUNK_SIZE))));
        out.put(MAGIC, 0, MAGIC.length);
        out.putIntBigEndian(1);
        out.putIntBigEndian(1);
        try {
            for (int pos = offset, end = offset + length; pos < end; pos += CHUNK_SIZE) {
                int chunk = Math.min(CHUNK_SIZE, end - pos);
                int lengthAt = out.size();
                int written = Snappy.compress(src, pos, chunk, out.array(), lengthAt + 4);
                out.putIntBigEndian(written);
                out.size(out.size() + written);
            }
        } catch (IOException e) {
            throw new IllegalStateException("snappy compression failed", e);
        }
        return out.view();
    }

    @Override
    public void close() {
        // nothing native to release
    }

    /**
     * Reads a snappy-java stream. Like snappy-java's own reader it also accepts concatenated streams
     * (a header again at a chunk boundary) and, when the magic is missing, one raw snappy block.
     */
    static ByteBuffer decompress(byte[] src, int offset, int length) {
        GrowableBytes result = new GrowableBytes(length * 2);
        int end = offset + length;
        try {
            if (!hasMagicAt(src, offset, end)) {
                int size = Snappy.uncompressedLength(src, offset, length);
                result.ensureRoom(size);
                result.size(Snappy.uncompress(src, offset, length, result.array(), 0));
                return result.view();
            }
            int pos = offset;
            while (pos < end) {
                if (hasMagicAt(src, pos, end)) {
                    if (end - pos < HEADER_SIZE) {
                        throw new CorruptRecordException("Truncated snappy stream header");
                    }
                    pos += HEADER_SIZE;
                    continue;
                }
                if (end - pos < 4) {
                    throw new CorruptRecordException("Truncated snappy chunk length");
                }
                int chunk = ((src[pos] & 0xFF) << 24) | ((src[pos + 1] & 0xFF) << 16)
                        | ((src[pos + 2] & 0xFF) << 8) | (src[pos + 3] & 0xFF);
                pos += 4;
                if (chunk < 0 || chunk > end - pos) {
                    throw new CorruptRecordException("snappy chunk of " + chunk + " bytes exceeds the stream");
                }
                int size = Snappy.uncompressedLength(src, pos, chunk);
                result.ensureRoom(size);
                int written = Snappy.uncompress(src, pos, chunk, result.array(), result.size());
                result.size(result.size() + written);
                pos += chunk;
            }
            return result.view();
        } catch (IOException e) {
            throw new CorruptRecordException("Invalid snappy stream: " + e.getMessage(), e);
        }
    }

    private static boolean hasMagicAt(byte[] src, int pos, int end) {
        if (end - pos < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (src[pos + i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }
}
