package dev.courier.benchmarks.standin;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes one response frame into a growing, reused byte array; the first four bytes are reserved for
 * the size prefix, filled in by {@link #finish}. Owned by one connection thread.
 */
final class WireOut {

    private byte[] bytes = new byte[4096];
    private int position = 4;

    void reset() {
        position = 4;
    }

    /** Fills in the size prefix; returns the frame length including it. */
    int finish() {
        int size = position - 4;
        bytes[0] = (byte) (size >>> 24);
        bytes[1] = (byte) (size >>> 16);
        bytes[2] = (byte) (size >>> 8);
        bytes[3] = (byte) size;
        return position;
    }

    byte[] array() {
        return bytes;
    }

    WireOut int8(int v) {
        ensure(1);
        bytes[position++] = (byte) v;
        return this;
    }

    WireOut int16(int v) {
        ensure(2);
        bytes[position++] = (byte) (v >>> 8);
        bytes[position++] = (byte) v;
        return this;
    }

    WireOut int32(int v) {
        ensure(4);
        bytes[position++] = (byte) (v >>> 24);
        bytes[position++] = (byte) (v >>> 16);
        bytes[position++] = (byte) (v >>> 8);
        bytes[position++] = (byte) v;
        return this;
    }

    WireOut int64(long v) {
        int32((int) (v >>> 32));
        return int32((int) v);
    }

    WireOut unsignedVarint(int v) {
        ensure(5);
        while ((v & ~0x7f) != 0) {
            bytes[position++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        bytes[position++] = (byte) v;
        return this;
    }

    /** A compact string (never null here). */
    WireOut compactString(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        unsignedVarint(utf8.length + 1);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, bytes, position, utf8.length);
        position += utf8.length;
        return this;
    }

    /** The compact encoding of null (string, array or bytes). */
    WireOut compactNull() {
        return unsignedVarint(0);
    }

    /** Compact array length prefix. */
    WireOut compactArray(int count) {
        return unsignedVarint(count + 1);
    }

    WireOut noTaggedFields() {
        return unsignedVarint(0);
    }

    WireOut bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, position, b.length);
        position += b.length;
        return this;
    }

    private void ensure(int n) {
        if (position + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, position + n));
        }
    }
}
