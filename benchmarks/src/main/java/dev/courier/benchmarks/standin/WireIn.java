package dev.courier.benchmarks.standin;

import java.nio.charset.StandardCharsets;

/**
 * Reads Kafka primitive types from one request frame (a reused byte array). Owned by one connection
 * thread. Only what the stand-in's requests need: fixed-width integers, unsigned varints, compact and
 * classic strings, tagged-field skipping.
 */
final class WireIn {

    private byte[] bytes;
    private int position;
    private int limit;

    void reset(byte[] bytes, int length) {
        this.bytes = bytes;
        this.position = 0;
        this.limit = length;
    }

    int position() {
        return position;
    }

    short int16() {
        check(2);
        short v = (short) (((bytes[position] & 0xff) << 8) | (bytes[position + 1] & 0xff));
        position += 2;
        return v;
    }

    int int32() {
        check(4);
        int v = ((bytes[position] & 0xff) << 24) | ((bytes[position + 1] & 0xff) << 16)
                | ((bytes[position + 2] & 0xff) << 8) | (bytes[position + 3] & 0xff);
        position += 4;
        return v;
    }

    /** Reads a big-endian int32 at an absolute offset without moving. */
    int int32At(int offset) {
        return ((bytes[offset] & 0xff) << 24) | ((bytes[offset + 1] & 0xff) << 16)
                | ((bytes[offset + 2] & 0xff) << 8) | (bytes[offset + 3] & 0xff);
    }

    int unsignedVarint() {
        int value = 0;
        int shift = 0;
        while (true) {
            check(1);
            int b = bytes[position++] & 0xff;
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
            shift += 7;
            if (shift > 28) {
                throw new IllegalStateException("varint too long");
            }
        }
    }

    void skip(int n) {
        check(n);
        position += n;
    }

    /** A classic nullable string (int16 length, -1 for null). */
    String nullableString() {
        int length = int16();
        if (length < 0) {
            return null;
        }
        return string(length);
    }

    /** A compact (nullable) string: unsigned varint length + 1, 0 for null. */
    String compactString() {
        int length = unsignedVarint() - 1;
        if (length < 0) {
            return null;
        }
        return string(length);
    }

    /** Skips a compact nullable string without decoding it. */
    void skipCompactString() {
        int length = unsignedVarint() - 1;
        if (length > 0) {
            skip(length);
        }
    }

    /** Tagged fields: ignored, but stepped over. */
    void skipTaggedFields() {
        int count = unsignedVarint();
        for (int i = 0; i < count; i++) {
            unsignedVarint();
            skip(unsignedVarint());
        }
    }

    private String string(int length) {
        check(length);
        String s = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return s;
    }

    private void check(int n) {
        if (position + n > limit) {
            throw new IllegalStateException("request truncated at " + position + " (+" + n + " > " + limit + ")");
        }
    }
}
