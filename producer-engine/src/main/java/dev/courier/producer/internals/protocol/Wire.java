package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Static helpers that size and write Kafka primitive types. Encoders first add up sizes with the
 * {@code sizeOf*} methods, allocate one buffer of exactly that size, then call the {@code write*}
 * methods. Strings are passed as already-encoded UTF-8 bytes so they are encoded only once.
 *
 * <p>{@code flexible} selects the compact forms (unsigned varint length + 1, 0 for null) instead of
 * the classic int16 / int32 length prefixes (-1 for null).
 */
public final class Wire {

    /** The one-byte tagged-field section that says "no tagged fields". */
    public static final byte EMPTY_TAGGED_FIELDS = 0;

    private Wire() {
    }

    /** UTF-8 bytes of s, or {@code null} for a null string. */
    public static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    public static int sizeOfUnsignedVarint(int value) {
        // 7 data bits per byte; value is treated as unsigned 32-bit.
        int bits = 32 - Integer.numberOfLeadingZeros(value);
        return bits <= 7 ? 1 : (bits + 6) / 7;
    }

    public static void writeUnsignedVarint(ByteBuffer buf, int value) {
        int v = value;
        while ((v & 0xFFFFFF80) != 0) {
            buf.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buf.put((byte) v);
    }

    /** Size of a (nullable) string field given its UTF-8 bytes. */
    public static int sizeOfString(byte[] utf8, boolean flexible) {
        if (flexible) {
            return utf8 == null ? 1 : sizeOfUnsignedVarint(utf8.length + 1) + utf8.length;
        }
        return utf8 == null ? 2 : 2 + utf8.length;
    }

    /** Writes a (nullable) string field. Classic strings are limited to 32767 bytes. */
    public static void writeString(ByteBuffer buf, byte[] utf8, boolean flexible) {
        if (flexible) {
            if (utf8 == null) {
                buf.put((byte) 0);
            } else {
                writeUnsignedVarint(buf, utf8.length + 1);
                buf.put(utf8);
            }
        } else if (utf8 == null) {
            buf.putShort((short) -1);
        } else {
            if (utf8.length > Short.MAX_VALUE) {
                throw new IllegalArgumentException("String of " + utf8.length + " bytes is too long for an int16 length");
            }
            buf.putShort((short) utf8.length);
            buf.put(utf8);
        }
    }

    /** Size of the length prefix of a bytes/records field of the given length (-1 = null). */
    public static int sizeOfBytesLength(int length, boolean flexible) {
        return flexible ? sizeOfUnsignedVarint(length + 1) : 4;
    }

    /** Writes the length prefix of a bytes/records field (-1 = null). */
    public static void writeBytesLength(ByteBuffer buf, int length, boolean flexible) {
        if (flexible) {
            writeUnsignedVarint(buf, length + 1);
        } else {
            buf.putInt(length);
        }
    }

    /** Size of an array count prefix (-1 = null array). */
    public static int sizeOfArrayLength(int count, boolean flexible) {
        return flexible ? sizeOfUnsignedVarint(count + 1) : 4;
    }

    /** Writes an array count prefix (-1 = null array). */
    public static void writeArrayLength(ByteBuffer buf, int count, boolean flexible) {
        if (flexible) {
            writeUnsignedVarint(buf, count + 1);
        } else {
            buf.putInt(count);
        }
    }

    /** Writes a uuid: most significant 64 bits first; null is written as the all-zero uuid. */
    public static void writeUuid(ByteBuffer buf, UUID uuid) {
        if (uuid == null) {
            buf.putLong(0L);
            buf.putLong(0L);
        } else {
            buf.putLong(uuid.getMostSignificantBits());
            buf.putLong(uuid.getLeastSignificantBits());
        }
    }

    /** True for null and for the all-zero uuid, which Kafka uses to mean "no topic id". */
    public static boolean isZeroUuid(UUID uuid) {
        return uuid == null || (uuid.getMostSignificantBits() == 0L && uuid.getLeastSignificantBits() == 0L);
    }
}
