package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** SaslHandshakeResponse (key 17), v1: an error code and the mechanisms the broker enables. */
public record SaslHandshakeResponse(short errorCode, List<String> mechanisms) {

    public static SaslHandshakeResponse parse(ByteBuffer body, short version) {
        Responses.checkSupported(ApiKey.SASL_HANDSHAKE, version);
        try {
            WireReader r = new WireReader(body, false);
            short errorCode = r.readInt16();
            int count = r.readNonNullArrayLength(2, "Mechanisms");
            List<String> mechanisms = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                mechanisms.add(r.readString("Mechanisms"));
            }
            return new SaslHandshakeResponse(errorCode, Collections.unmodifiableList(mechanisms));
        } catch (RuntimeException e) {
            throw Responses.malformed("SaslHandshakeResponse v" + version, e);
        }
    }
}
