package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/** Hex, frame and kafka-clients helpers shared by the protocol tests. */
final class ProtocolTestSupport {

    static final String CLIENT_ID = "test-client";

    private ProtocolTestSupport() {
    }

    /** Bytes of a hex string; whitespace (line breaks of the golden dumps) is ignored. */
    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    static ByteBuffer hexBuffer(String hex) {
        return ByteBuffer.wrap(hex(hex));
    }

    /** All bytes of a gathered frame, without moving the buffers' positions. */
    static byte[] concat(ByteBuffer[] frame) {
        int total = 0;
        for (ByteBuffer b : frame) {
            total += b.remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(total);
        for (ByteBuffer b : frame) {
            out.put(b.duplicate());
        }
        return out.array();
    }

    /** A message encoded by kafka-clients at the given version (body only, no header). */
    static ByteBuffer kafkaBytes(Message message, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuffer buf = ByteBuffer.allocate(message.size(cache, version));
        message.write(new ByteBufferAccessor(buf), cache, version);
        return buf.flip();
    }
}
