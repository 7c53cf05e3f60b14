package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;

/**
 * EndTxnRequest (key 26), versions 3-5 (same bytes; v4 may answer TRANSACTION_ABORTABLE). Version 5 is
 * transactions v2 (the coordinator bumps the epoch at the end of every transaction and answers with it),
 * so a producer on the classic protocol caps the version at 4.
 */
public record EndTxnRequest(String transactionalId, long producerId, short producerEpoch, boolean committed,
                            short versionCap) implements RequestBody {

    /** Transactions v1: at most v4. */
    public EndTxnRequest(String transactionalId, long producerId, short producerEpoch, boolean committed) {
        this(transactionalId, producerId, producerEpoch, committed, (short) 4);
    }

    @Override
    public short maxUsableVersion() {
        return versionCap;
    }

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
