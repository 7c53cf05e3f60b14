package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;

/** InitProducerIdResponse (key 22), versions 2-5. */
public record InitProducerIdResponse(int throttleTimeMs, short errorCode, long producerId, short producerEpoch) {

    public static InitProducerIdResponse parse(ByteBuffer body, short version) {
        Responses.checkSupported(ApiKey.INIT_PRODUCER_ID, version);
        try {
            WireReader r = new WireReader(body, true);
            InitProducerIdResponse response = new InitProducerIdResponse(r.readInt32(), r.readInt16(), r.readInt64(),
                    r.readInt16());
            r.skipTaggedFields();
            return response;
        } catch (RuntimeException e) {
            throw Responses.malformed("InitProducerIdResponse v" + version, e);
        }
    }
}
