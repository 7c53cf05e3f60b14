package dev.courier.producer.internals.record;

import java.nio.ByteBuffer;

/**
 * Variable-length integer encodings used by Kafka.
 *
 * <p>Record fields use signed zig-zag varints/varlongs (so small negative numbers stay short); the
 * request protocol's compact types use plain unsigned varints. All methods are static, stateless and
 * allocation-free; reads and writes use and advance the buffer's position.
 */
public final class ByteUtils {

    /** Longest legal varint encoding (32 bits in 7-bit groups). */
    public static final int MAX_VARINT_SIZE = 5;
    /** Longest legal varlong encoding (64 bits in 7-bit groups). */
    public static final int MAX_VARLONG_SIZE = 10;

    private ByteUtils() {
    }

    /** Writes {@code value} as a zig-zag varint (1 to 5 bytes). */
    public static void writeVarint(int value, ByteBuffer buffer) {
        writeUnsignedVarint((value << 1) ^ (value >> 31), buffer);
    }

    /** Writes {@code value} as a zig-zag varlong (1 to 10 bytes). */
    public static void writeVarlong(long value, ByteBuffer buffer) {
        long bits = (value << 1) ^ (value >> 63);
        while ((bits & ~0x7FL) != 0) {
            buffer.put((byte) ((bits & 0x7F) | 0x80));
            bits >>>= 7;
        }
        buffer.put((byte) bits);
    }

    /** Writes {@code value} (read as unsigned 32 bits) as an unsigned varint, no zig-zag. */
    public static void writeUnsignedVarint(int value, ByteBuffer buffer) {
        int bits = value;
        while ((bits & ~0x7F) != 0) {
            buffer.put((byte) ((bits & 0x7F) | 0x80));
            bits >>>= 7;
        }
        buffer.put((byte) bits);
    }

    /**
     * Reads a zig-zag varint.
     *
     * @throws IllegalArgumentException if the encoding is longer than 5 bytes
     */
    public static int readVarint(ByteBuffer buffer) {
        int raw = readUnsignedVarint(buffer);
        return (raw >>> 1) ^ -(raw & 1);
    }

    /**
     * Reads a zig-zag varlong.
     *
     * @throws IllegalArgumentException if the encoding is longer than 10 bytes
     */
    public static long readVarlong(ByteBuffer buffer) {
        long raw = 0;
        int shift = 0;
        for (int i = 0; i < MAX_VARLONG_SIZE; i++) {
            byte b = buffer.get();
            raw |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
            shift += 7;
        }
        throw new IllegalArgumentException("varlong is longer than " + MAX_VARLONG_SIZE + " bytes");
    }

    /**
     * Reads an unsigned varint (no zig-zag).
     *
     * @throws IllegalArgumentException if the encoding is longer than 5 bytes
     */
    public static int readUnsignedVarint(ByteBuffer buffer) {
        int value = 0;
        int shift = 0;
        for (int i = 0; i < MAX_VARINT_SIZE; i++) {
            byte b = buffer.get();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
            shift += 7;
        }
        throw new IllegalArgumentException("varint is longer than " + MAX_VARINT_SIZE + " bytes");
    }

    /** Bytes {@link #writeVarint} needs for {@code value}. */
    public static int sizeOfVarint(int value) {
        return sizeOfUnsignedVarint((value << 1) ^ (value >> 31));
    }

    /** Bytes {@link #writeVarlong} needs for {@code value}. */
    public static int sizeOfVarlong(long value) {
        long bits = (value << 1) ^ (value >> 63);
        // 1 byte per started group of 7 significant bits; 0 still takes one byte.
        int significantBits = 64 - Long.numberOfLeadingZeros(bits | 1);
        return (significantBits + 6) / 7;
    }

    /** Bytes {@link #writeUnsignedVarint} needs for {@code value} (read as unsigned). */
    public static int sizeOfUnsignedVarint(int value) {
        int significantBits = 32 - Integer.numberOfLeadingZeros(value | 1);
        return (significantBits + 6) / 7;
    }
}
