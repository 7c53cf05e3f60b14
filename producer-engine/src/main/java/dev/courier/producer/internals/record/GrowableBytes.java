package dev.courier.producer.internals.record;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A reusable heap byte array with a fill level, grown on demand.
 *
 * <p>Compressors keep one as scratch output so that steady-state compression allocates nothing; the
 * array only grows, to the largest batch the owner has compressed. Not thread-safe: owned by whoever
 * created it (a codec, used from the sender thread).
 */
final class GrowableBytes {

    private byte[] array;
    private int size;

    GrowableBytes(int initialCapacity) {
        this.array = new byte[Math.max(16, initialCapacity)];
    }

    byte[] array() {
        return array;
    }

    int size() {
        return size;
    }

    void size(int newSize) {
        this.size = newSize;
    }

    void clear() {
        size = 0;
    }

    /** Makes room for {@code extra} more bytes after {@link #size()}, keeping the content. */
    void ensureRoom(int extra) {
        long needed = (long) size + extra;
        if (needed > array.length) {
            if (needed > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("Buffer would exceed 2 GiB");
            }
            long grown = Math.max(needed, Math.min((long) array.length * 2, Integer.MAX_VALUE - 8));
            array = Arrays.copyOf(array, (int) grown);
        }
    }

    /** A buffer over {@code [0, size)}; valid until this object is next written. */
    ByteBuffer view() {
        return ByteBuffer.wrap(array, 0, size).slice();
    }

    void put(byte b) {
        ensureRoom(1);
        array[size++] = b;
    }

    void putIntBigEndian(int value) {
        ensureRoom(4);
        array[size++] = (byte) (value >>> 24);
        array[size++] = (byte) (value >>> 16);
        array[size++] = (byte) (value >>> 8);
        array[size++] = (byte) value;
    }

    void putIntLittleEndian(int value) {
        ensureRoom(4);
        array[size++] = (byte) value;
        array[size++] = (byte) (value >>> 8);
        array[size++] = (byte) (value >>> 16);
        array[size++] = (byte) (value >>> 24);
    }

    void put(byte[] src, int offset, int length) {
        ensureRoom(length);
        System.arraycopy(src, offset, array, size, length);
        size += length;
    }
}
