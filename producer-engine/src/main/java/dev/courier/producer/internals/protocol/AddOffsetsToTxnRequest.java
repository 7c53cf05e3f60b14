package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;

/** AddOffsetsToTxnRequest (key 25), versions 3-4 (same bytes; v4 may answer TRANSACTION_ABORTABLE). */
public record AddOffsetsToTxnRequest(String transactionalId, long producerId, short producerEpoch, String groupId)
        implements RequestBody {

    @Override
    public ApiKey apiKey() {
        return ApiKey.ADD_OFFSETS_TO_TXN;
    }

    @Override
    public ByteBuffer[] toFrame(RequestHeader header) {
        header.checkCanFrame(ApiKey.ADD_OFFSETS_TO_TXN, maxUsableVersion());
        return new BodyWriter().string(transactionalId).int64(producerId).int16(producerEpoch).string(groupId)
                .emptyTaggedFields().frame(header);
    }
}
