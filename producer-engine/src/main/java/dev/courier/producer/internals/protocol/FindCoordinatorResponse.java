package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;

/** FindCoordinatorResponse (key 10), version 3. */
public record FindCoordinatorResponse(int throttleTimeMs, short errorCode, String errorMessage, int nodeId,
                                      String host, int port) {

    public static FindCoordinatorResponse parse(ByteBuffer body, short version) {
        Responses.checkSupported(ApiKey.FIND_COORDINATOR, version);
        try {
            WireReader r = new WireReader(body, true);
            FindCoordinatorResponse response = new FindCoordinatorResponse(r.readInt32(), r.readInt16(),
                    r.readNullableString(), r.readInt32(), r.readString("Host"), r.readInt32());
            r.skipTaggedFields();
            return response;
        } catch (RuntimeException e) {
            throw Responses.malformed("FindCoordinatorResponse v" + version, e);
        }
    }
}
