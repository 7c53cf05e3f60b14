package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;

/** Reads response headers: v0 is the correlation id alone, v1 adds a tagged-field section. */
public final class ResponseHeader {

    private ResponseHeader() {
    }

    /**
     * Reads the response header of the given header version from buf (positioned at the start of
     * the frame body, i.e. after the 4-byte size) and returns the correlation id; leaves buf at the
     * body.
     */
    public static int readCorrelationId(ByteBuffer buf, short headerVersion) {
        try {
            int correlationId = buf.getInt();
            if (headerVersion >= 1) {
                new WireReader(buf, true).skipTaggedFields();
            }
            return correlationId;
        } catch (RuntimeException e) {
            throw Responses.malformed("response header v" + headerVersion, e);
        }
    }
}
