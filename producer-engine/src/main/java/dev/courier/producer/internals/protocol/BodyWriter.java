package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;

/**
 * Writes a small flexible-version request body into a growing buffer, for the coordinator requests
 * (transactions, FindCoordinator): they are rare and small, so sizing them up front as the produce
 * request does would only add code. Not for the hot path.
 */
final class BodyWriter {

    private ByteBuffer buf = ByteBuffer.allocate(128);

    private void ensure(int bytes) {
        if (buf.remaining() < bytes) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + bytes));
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
    }

    BodyWriter int8(byte value) {
        ensure(1);
        buf.put(value);
        return this;
    }

    BodyWriter bool(boolean value) {
        return int8(value ? (byte) 1 : (byte) 0);
    }

    BodyWriter int16(short value) {
        ensure(2);
        buf.putShort(value);
        return this;
    }

    BodyWriter int32(int value) {
        ensure(4);
        buf.putInt(value);
        return this;
    }

    BodyWriter int64(long value) {
        ensure(8);
        buf.putLong(value);
        return this;
    }

    /** A compact (nullable) string. */
    BodyWriter string(String value) {
        byte[] bytes = Wire.utf8(value);
        ensure(Wire.sizeOfString(bytes, true));
        Wire.writeString(buf, bytes, true);
        return this;
    }

    /** A compact array's length prefix. */
    BodyWriter arrayLength(int count) {
        ensure(5);
        Wire.writeArrayLength(buf, count, true);
        return this;
    }

    BodyWriter emptyTaggedFields() {
        return int8(Wire.EMPTY_TAGGED_FIELDS);
    }

    /** The whole frame: size, header, this body. */
    ByteBuffer[] frame(RequestHeader header) {
        buf.flip();
        ByteBuffer frame = header.allocateFrame(buf.remaining(), 0);
        frame.put(buf);
        return new ByteBuffer[] {frame.flip()};
    }
}
