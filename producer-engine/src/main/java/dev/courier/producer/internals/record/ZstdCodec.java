package dev.courier.producer.internals.record;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * zstd: one standard frame per batch at the configured level, from a reused native context.
 *
 * <p>This is the only class that touches the optional zstd-jni library; it is loaded only when zstd is
 * in use. The frame records the content size (unlike Kafka's streaming writer); any valid frame is
 * accepted by the broker's streaming decoder.
 */
final class ZstdCodec implements Codec {

    private final ZstdCompressCtx context;
    private final GrowableBytes out = new GrowableBytes(1024);

    ZstdCodec(int level) {
        this.context = new ZstdCompressCtx();
        this.context.setLevel(level);
    }

    @Override
    public ByteBuffer compress(byte[] src, int offset, int length) {
        out.clear();
        long bound = Zstd.compressBound(length);
        if (bound > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Input too large for zstd: " + length + " bytes");
        }
        out.ensureRoom((int) bound);
        byte[] array = out.array();
        int written = context.compressByteArray(array, 0, array.length, src, offset, length);
        out.size(written);
        return out.view();
    }

    @Override
    public void close() {
        context.close();
    }

    /** Streams the frame(s) through zstd-jni's decoder, as Kafka's reader does. */
    static ByteBuffer decompress(byte[] src, int offset, int length) {
        GrowableBytes result = new GrowableBytes(length * 3);
        try (ZstdInputStreamNoFinalizer in = new ZstdInputStreamNoFinalizer(new ByteArrayInputStream(src, offset, length))) {
            while (true) {
                result.ensureRoom(16 * 1024);
                int n = in.read(result.array(), result.size(), result.array().length - result.size());
                if (n < 0) {
                    return result.view();
                }
                result.size(result.size() + n);
            }
        } catch (IOException | RuntimeException e) {
            throw new CorruptRecordException("Invalid zstd stream: " + e.getMessage(), e);
        }
    }
}
