package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Reads Kafka primitive types from a buffer, in classic or flexible (compact) form. Moves the
 * buffer's position. Not thread-safe; one reader per parse call.
 *
 * <p>Lengths read from the wire are checked against the bytes remaining before anything is
 * allocated, so a corrupt or hostile length fails fast with {@link MalformedMessageException}
 * instead of exhausting memory.
 */
public final class WireReader {

    private final ByteBuffer buf;
    private final boolean flexible;

    public WireReader(ByteBuffer buf, boolean flexible) {
        this.buf = buf;
        this.flexible = flexible;
    }

    public boolean flexible() {
        return flexible;
    }

    public byte readInt8() {
        return buf.get();
    }

    public boolean readBool() {
        return buf.get() != 0;
    }

    public short readInt16() {
        return buf.getShort();
    }

    public int readInt32() {
        return buf.getInt();
    }

    public long readInt64() {
        return buf.getLong();
    }

    /** Reads a uuid; the all-zero uuid ("no id") comes back as {@code null}. */
    public UUID readUuid() {
        long msb = buf.getLong();
        long lsb = buf.getLong();
        return msb == 0L && lsb == 0L ? null : new UUID(msb, lsb);
    }

    public int readUnsignedVarint() {
        return readUnsignedVarint(buf);
    }

    /** Reads an unsigned varint of at most 5 bytes. */
    public static int readUnsignedVarint(ByteBuffer buf) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = buf.get();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new MalformedMessageException("Unsigned varint is longer than 5 bytes");
    }

    /** Reads a nullable string field; returns null for the null marker. */
    public String readNullableString() {
        int length;
        if (flexible) {
            length = readUnsignedVarint() - 1;
        } else {
            length = buf.getShort();
        }
        if (length < 0) {
            return null;
        }
        checkRemaining(length, "string");
        String s;
        if (buf.hasArray()) {
            s = new String(buf.array(), buf.arrayOffset() + buf.position(), length, StandardCharsets.UTF_8);
            buf.position(buf.position() + length);
        } else {
            byte[] bytes = new byte[length];
            buf.get(bytes);
            s = new String(bytes, StandardCharsets.UTF_8);
        }
        return s;
    }

    /** Reads a string field that the schema says can never be null. */
    public String readString(String fieldName) {
        String s = readNullableString();
        if (s == null) {
            throw new MalformedMessageException("Non-nullable field " + fieldName + " was null");
        }
        return s;
    }

    /**
     * Reads an array count; -1 means a null array. Every element takes at least
     * {@code minElementSize} bytes, which bounds the count by the bytes remaining.
     */
    public int readArrayLength(int minElementSize) {
        int count = flexible ? readUnsignedVarint() - 1 : buf.getInt();
        if (count < -1) {
            throw new MalformedMessageException("Negative array length " + count);
        }
        if (count > 0) {
            checkRemaining((long) count * minElementSize, "array");
        }
        return count;
    }

    /** Reads an array count that the schema says can never be null. */
    public int readNonNullArrayLength(int minElementSize, String fieldName) {
        int count = readArrayLength(minElementSize);
        if (count < 0) {
            throw new MalformedMessageException("Non-nullable array " + fieldName + " was null");
        }
        return count;
    }

    /** Reads a non-nullable {@code []int32} field. */
    public int[] readInt32Array(String fieldName) {
        int count = readNonNullArrayLength(4, fieldName);
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            values[i] = buf.getInt();
        }
        return values;
    }

    /** Reads a nullable bytes field into a fresh array; null for the null marker. */
    public byte[] readNullableBytes() {
        int length = flexible ? readUnsignedVarint() - 1 : buf.getInt();
        if (length < 0) {
            return null;
        }
        checkRemaining(length, "bytes");
        byte[] bytes = new byte[length];
        buf.get(bytes);
        return bytes;
    }

    /** In a flexible version, skips a whole tagged-field section; no-op otherwise. */
    public void skipTaggedFields() {
        if (!flexible) {
            return;
        }
        int count = readUnsignedVarint();
        for (int i = 0; i < count; i++) {
            readUnsignedVarint(); // tag
            skip(readUnsignedVarint());
        }
    }

    /**
     * Visits a tagged-field section: for each entry calls {@code visitor} with the reader positioned
     * at the payload, then moves to the end of the payload whatever the visitor read, so unknown
     * tags are skipped and a short read of a known tag cannot desynchronise the rest.
     */
    public void readTaggedFields(TagVisitor visitor) {
        if (!flexible) {
            return;
        }
        int count = readUnsignedVarint();
        for (int i = 0; i < count; i++) {
            int tag = readUnsignedVarint();
            int size = readUnsignedVarint();
            checkRemaining(size, "tagged field");
            int end = buf.position() + size;
            visitor.visit(tag, this);
            if (buf.position() > end) {
                throw new MalformedMessageException("Tagged field " + tag + " overran its size " + size);
            }
            buf.position(end);
        }
    }

    public void skip(int bytes) {
        checkRemaining(bytes, "skipped field");
        buf.position(buf.position() + bytes);
    }

    private void checkRemaining(long needed, String what) {
        if (needed < 0 || needed > buf.remaining()) {
            throw new MalformedMessageException(
                    "Length " + needed + " of " + what + " exceeds the " + buf.remaining() + " bytes remaining");
        }
    }

    /** Receives one tagged field; see {@link #readTaggedFields(TagVisitor)}. */
    @FunctionalInterface
    public interface TagVisitor {
        void visit(int tag, WireReader reader);
    }
}
