package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;

/**
 * SaslAuthenticateResponse (key 36), v0-v2: the server's SASL token, or an error with the broker's
 * message. {@code sessionLifetimeMs} (v1+, KIP-368) is 0 when the session never expires.
 */
public record SaslAuthenticateResponse(short errorCode, String errorMessage, byte[] authBytes, long sessionLifetimeMs) {

    public static SaslAuthenticateResponse parse(ByteBuffer body, short version) {
        Responses.checkSupported(ApiKey.SASL_AUTHENTICATE, version);
        try {
            WireReader r = new WireReader(body, ApiKey.SASL_AUTHENTICATE.isFlexible(version));
            short errorCode = r.readInt16();
            String errorMessage = r.readNullableString();
            byte[] authBytes = r.readNullableBytes();
            if (authBytes == null) {
                throw new MalformedMessageException("Non-nullable field AuthBytes was null");
            }
            long lifetime = version >= 1 ? r.readInt64() : 0L;
            r.skipTaggedFields();
            return new SaslAuthenticateResponse(errorCode, errorMessage, authBytes, lifetime);
        } catch (RuntimeException e) {
            throw Responses.malformed("SaslAuthenticateResponse v" + version, e);
        }
    }

    @Override
    public String toString() {
        return "SaslAuthenticateResponse(error=" + errorCode + ", message=" + errorMessage + ", "
                + authBytes.length + " bytes, sessionLifetimeMs=" + sessionLifetimeMs + ")";
    }
}
