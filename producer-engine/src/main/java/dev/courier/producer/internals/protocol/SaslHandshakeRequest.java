package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;

/**
 * SaslHandshakeRequest (key 17), v1 only: names the mechanism; the tokens then travel in
 * SaslAuthenticate requests. Never flexible.
 */
public record SaslHandshakeRequest(String mechanism) implements RequestBody {

    @Override
    public ApiKey apiKey() {
        return ApiKey.SASL_HANDSHAKE;
    }

    @Override
    public ByteBuffer[] toFrame(RequestHeader header) {
        header.checkCanFrame(ApiKey.SASL_HANDSHAKE, maxUsableVersion());
        byte[] name = Wire.utf8(mechanism);
        ByteBuffer buf = header.allocateFrame(Wire.sizeOfString(name, false), 0);
        Wire.writeString(buf, name, false);
        return new ByteBuffer[] {buf.flip()};
    }
}
