package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;

/**
 * EndTxnResponse (key 26), versions 3-5. From v5 (transactions v2) it carries the producer id and the
 * epoch bumped for the next transaction; -1/-1 before.
 */
public record EndTxnResponse(int throttleTimeMs, short errorCode, long producerId, short producerEpoch) {

    public static EndTxnResponse parse(ByteBuffer body, short version) {
        Responses.checkSupported(ApiKey.END_TXN, version);
        try {
            WireReader r = new WireReader(body, true);
            int throttle = r.readInt32();
            short error = r.readInt16();
            long producerId = version >= 5 ? r.readInt64() : -1L;
            short epoch = version >= 5 ? r.readInt16() : -1;
            r.skipTaggedFields();
            return new EndTxnResponse(throttle, error, producerId, epoch);
        } catch (RuntimeException e) {
            throw Responses.malformed("EndTxnResponse v" + version, e);
        }
    }
}
