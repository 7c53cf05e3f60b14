package dev.courier.producer.internals.record;

import dev.courier.producer.ProducerConfig;
import dev.courier.producer.errors.ConfigException;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * A codec plus its level (KIP-390 ranges: gzip 1..9 or -1, lz4 1..17 default 9, zstd -131072..22
 * default 3; snappy and none have no level).
 *
 * <p>Owns the reusable compression state (scratch output, Deflater, zstd context), created on first
 * use. Threading: one instance per producer; {@link #compress} is thread-safe (caller threads compress
 * the batches they filled, the sender thread the rest), each call leasing a codec of its own.
 * {@link #close} is called once nothing compresses any more. {@link #decompress} is static and
 * thread-safe. {@link #none()} is a shared stateless instance.
 */
public final class Compression implements AutoCloseable {

    public static final int GZIP_MIN_LEVEL = 1;
    public static final int GZIP_MAX_LEVEL = 9;
    /** zlib's default (6). */
    public static final int GZIP_DEFAULT_LEVEL = -1;
    public static final int LZ4_MIN_LEVEL = 1;
    public static final int LZ4_MAX_LEVEL = 17;
    public static final int LZ4_DEFAULT_LEVEL = Lz4Codec.DEFAULT_LEVEL;
    public static final int ZSTD_MIN_LEVEL = -131072;
    public static final int ZSTD_MAX_LEVEL = 22;
    public static final int ZSTD_DEFAULT_LEVEL = 3;

    private static final Compression NONE = new Compression(CompressionType.NONE, 0);

    private final CompressionType type;
    private final int level;
    /**
     * Idle codecs with their scratch space. Caller threads compress full batches and the sender thread the
     * rest, so each call leases a codec of its own: as many exist as threads ever compressed at once.
     */
    private final ConcurrentLinkedQueue<Lease> idle = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    /** A codec and a copy buffer for input that is not array-backed; used by one thread at a time. */
    private static final class Lease {
        final Codec codec;
        byte[] inputCopy;

        Lease(Codec codec) {
            this.codec = codec;
        }
    }

    private Compression(CompressionType type, int level) {
        this.type = type;
        this.level = level;
    }

    /**
     * A codec at a level.
     *
     * @param level ignored for none and snappy
     * @throws ConfigException if the level is outside the codec's range (key {@code compression.<codec>.level})
     *     or the codec's library is missing (key {@code compression.type})
     */
    public static Compression of(CompressionType type, int level) {
        switch (type) {
            case NONE:
                return NONE;
            case GZIP:
                if (level != GZIP_DEFAULT_LEVEL && (level < GZIP_MIN_LEVEL || level > GZIP_MAX_LEVEL)) {
                    throw new ConfigException(ProducerConfig.COMPRESSION_GZIP_LEVEL, level, "1 to 9, or -1 for the default");
                }
                break;
            case LZ4:
                if (level < LZ4_MIN_LEVEL || level > LZ4_MAX_LEVEL) {
                    throw new ConfigException(ProducerConfig.COMPRESSION_LZ4_LEVEL, level, "1 to 17");
                }
                break;
            case ZSTD:
                if (level < ZSTD_MIN_LEVEL || level > ZSTD_MAX_LEVEL) {
                    throw new ConfigException(ProducerConfig.COMPRESSION_ZSTD_LEVEL, level, "-131072 to 22");
                }
                break;
            case SNAPPY:
                level = 0;
                break;
            default:
                throw new IllegalArgumentException("Unknown compression type " + type);
        }
        type.ensureAvailable();
        return new Compression(type, level);
    }

    /** A codec at its default level. */
    public static Compression of(CompressionType type) {
        return of(type, defaultLevel(type));
    }

    /** No compression; a shared, stateless instance. */
    public static Compression none() {
        return NONE;
    }

    /** The level Kafka uses when {@code compression.<codec>.level} is not set (0 for none and snappy). */
    public static int defaultLevel(CompressionType type) {
        switch (type) {
            case GZIP:
                return GZIP_DEFAULT_LEVEL;
            case LZ4:
                return LZ4_DEFAULT_LEVEL;
            case ZSTD:
                return ZSTD_DEFAULT_LEVEL;
            default:
                return 0;
        }
    }

    public CompressionType type() {
        return type;
    }

    public int level() {
        return level;
    }

    /**
     * Compresses {@code records} (position to limit, left unchanged) into one stream of this codec and
     * hands it to {@code sink}, which must copy what it needs: the stream lives in the codec's scratch
     * space, reused once {@code sink} returns. Thread-safe.
     *
     * @return what {@code sink} returned
     */
    public <T> T compress(ByteBuffer records, Function<ByteBuffer, T> sink) {
        if (type == CompressionType.NONE) {
            return sink.apply(records.slice());
        }
        Lease lease = idle.poll();
        if (lease == null) {
            lease = new Lease(createCodec());
        }
        try {
            int length = records.remaining();
            if (records.hasArray()) {
                return sink.apply(lease.codec.compress(records.array(), records.arrayOffset() + records.position(),
                        length));
            }
            if (lease.inputCopy == null || lease.inputCopy.length < length) {
                lease.inputCopy = new byte[length];
            }
            records.duplicate().get(lease.inputCopy, 0, length);
            return sink.apply(lease.codec.compress(lease.inputCopy, 0, length));
        } finally {
            idle.offer(lease);
            if (closed) {
                closeIdle();
            }
        }
    }

    /** As {@link #compress(ByteBuffer, Function)}, returning a copy of the stream in a new heap buffer. */
    public ByteBuffer compress(ByteBuffer records) {
        return compress(records, stream -> {
            ByteBuffer copy = ByteBuffer.allocate(stream.remaining());
            copy.put(stream.duplicate()).flip();
            return copy;
        });
    }

    /** Only this method names the codec classes, so optional libraries load only for their codec. */
    private Codec createCodec() {
        switch (type) {
            case GZIP:
                return new GzipCodec(level);
            case SNAPPY:
                return new SnappyCodec();
            case LZ4:
                return new Lz4Codec(level);
            case ZSTD:
                return new ZstdCodec(level);
            default:
                throw new IllegalStateException("No codec for " + type);
        }
    }

    /**
     * Decompresses one stream of {@code type} (position to limit, left unchanged) into a new heap buffer.
     *
     * @throws CorruptRecordException if the stream is not valid for the codec
     */
    public static ByteBuffer decompress(CompressionType type, ByteBuffer stream) {
        if (type == CompressionType.NONE) {
            return stream.slice();
        }
        byte[] array;
        int offset;
        int length = stream.remaining();
        if (stream.hasArray()) {
            array = stream.array();
            offset = stream.arrayOffset() + stream.position();
        } else {
            array = new byte[length];
            stream.duplicate().get(array);
            offset = 0;
        }
        type.ensureAvailable();
        switch (type) {
            case GZIP:
                return GzipCodec.decompress(array, offset, length);
            case SNAPPY:
                return SnappyCodec.decompress(array, offset, length);
            case LZ4:
                return Lz4Codec.decompress(array, offset, length);
            case ZSTD:
                return ZstdCodec.decompress(array, offset, length);
            default:
                throw new IllegalStateException("No codec for " + type);
        }
    }

    /** Releases native state (Deflater, zstd context). Sender thread, once the producer is done. */
    @Override
    public void close() {
        closed = true;
        closeIdle();
    }

    /** Releases the native state (Deflater, zstd context) of every codec not in use. */
    private void closeIdle() {
        for (Lease lease = idle.poll(); lease != null; lease = idle.poll()) {
            lease.codec.close();
        }
    }

    @Override
    public String toString() {
        return type == CompressionType.NONE || type == CompressionType.SNAPPY
                ? type.configName
                : type.configName + "(level " + level + ")";
    }
}
