package dev.courier.producer.internals.record;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;

/**
 * gzip as Kafka uses it: one RFC 1952 member (10-byte header, raw deflate, CRC-32 and size trailer).
 *
 * <p>The header and trailer are written here around a reused raw {@link Deflater}, so a batch costs
 * no allocation once the scratch output has grown to the batch size.
 */
final class GzipCodec implements Codec {

    /** ID1 ID2, CM=8 (deflate), FLG=0, MTIME=0, XFL=0, OS=255 (unknown), as GZIPOutputStream writes. */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private final GrowableBytes out = new GrowableBytes(1024);

    GzipCodec(int level) {
        this.deflater = new Deflater(level, true);
    }

    @Override
    public ByteBuffer compress(byte[] src, int offset, int length) {
        out.clear();
        // zlib's deflateBound for the default settings plus header and trailer: one pass in practice.
        out.ensureRoom(HEADER.length + length + (length >> 12) + (length >> 14) + (length >> 25) + 13 + 8);
        out.put(HEADER, 0, HEADER.length);
        deflater.reset();
        deflater.setInput(src, offset, length);
        deflater.finish();
        while (!deflater.finished()) {
            out.ensureRoom(4096);
            byte[] array = out.array();
            int written = deflater.deflate(array, out.size(), array.length - out.size());
            out.size(out.size() + written);
        }
        crc.reset();
        crc.update(src, offset, length);
        out.putIntLittleEndian((int) crc.getValue());
        out.putIntLittleEndian(length);
        return out.view();
    }

    @Override
    public void close() {
        deflater.end();
    }

    /** Inflates a gzip stream (several concatenated members allowed, as Kafka's reader allows). */
    static ByteBuffer decompress(byte[] src, int offset, int length) {
        GrowableBytes result = new GrowableBytes(length * 2);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(src, offset, length), 8192)) {
            while (true) {
                result.ensureRoom(8192);
                int n = in.read(result.array(), result.size(), result.array().length - result.size());
                if (n < 0) {
                    return result.view();
                }
                result.size(result.size() + n);
            }
        } catch (IOException e) {
            throw new CorruptRecordException("Invalid gzip stream: " + e.getMessage(), e);
        }
    }
}
