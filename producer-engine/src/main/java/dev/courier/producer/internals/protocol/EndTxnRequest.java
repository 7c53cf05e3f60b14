package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;

/**
 * EndTxnRequest (key 26), versions 3-4 (same bytes; v4 may answer TRANSACTION_ABORTABLE). Version 5
 * belongs to transactions v2, which this client does not speak yet.
 */
public record EndTxnRequest(String transactionalId, long producerId, short producerEpoch, boolean committed)
        implements RequestBody {

    @Override
    public ApiKey apiKey() {
        return ApiKey.END_TXN;
    }

    @Override
    public ByteBuffer[] toFrame(RequestHeader header) {
        header.checkCanFrame(ApiKey.END_TXN, maxUsableVersion());
        return new BodyWriter().string(transactionalId).int64(producerId).int16(producerEpoch).bool(committed)
                .emptyTaggedFields().frame(header);
    }
}
