package dev.courier.producer.serialization;

import java.nio.ByteBuffer;

/**
 * The remaining bytes of a buffer (position to limit). The buffer's position is not changed.
 * A heap buffer that covers its whole backing array is used without copying.
 */
public final class ByteBufferSerializer implements Serializer<ByteBuffer> {

    @Override
    public byte[] serialize(String topic, ByteBuffer data) {
        if (data == null) {
            return null;
        }
        if (data.hasArray() && data.arrayOffset() == 0 && data.position() == 0
                && data.limit() == data.array().length) {
            return data.array();
        }
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return bytes;
    }
}
