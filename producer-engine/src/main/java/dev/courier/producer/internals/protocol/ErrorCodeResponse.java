package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;

/** The body of AddOffsetsToTxnResponse (key 25, v3-4): a throttle time and one error code. */
public record ErrorCodeResponse(int throttleTimeMs, short errorCode) {

    public static ErrorCodeResponse parse(ApiKey key, ByteBuffer body, short version) {
        Responses.checkSupported(key, version);
        try {
            WireReader r = new WireReader(body, true);
            ErrorCodeResponse response = new ErrorCodeResponse(r.readInt32(), r.readInt16());
            r.skipTaggedFields();
            return response;
        } catch (RuntimeException e) {
            throw Responses.malformed(key + " response v" + version, e);
        }
    }
}
