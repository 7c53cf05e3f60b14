package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;

/**
 * SaslAuthenticateRequest (key 36), v0-v2 (v2 flexible): one SASL token from the client. The bytes
 * carry credentials, so {@link #toString()} leaves them out.
 */
public record SaslAuthenticateRequest(byte[] authBytes) implements RequestBody {

    @Override
    public ApiKey apiKey() {
        return ApiKey.SASL_AUTHENTICATE;
    }

    @Override
    public ByteBuffer[] toFrame(RequestHeader header) {
        header.checkCanFrame(ApiKey.SASL_AUTHENTICATE, maxUsableVersion());
        boolean flexible = ApiKey.SASL_AUTHENTICATE.isFlexible(header.apiVersion());
        int size = Wire.sizeOfBytesLength(authBytes.length, flexible) + authBytes.length + (flexible ? 1 : 0);
        ByteBuffer buf = header.allocateFrame(size, 0);
        Wire.writeBytesLength(buf, authBytes.length, flexible);
        buf.put(authBytes);
        if (flexible) {
            buf.put(Wire.EMPTY_TAGGED_FIELDS);
        }
        return new ByteBuffer[] {buf.flip()};
    }

    @Override
    public String toString() {
        return "SaslAuthenticateRequest(" + authBytes.length + " bytes)";
    }
}
