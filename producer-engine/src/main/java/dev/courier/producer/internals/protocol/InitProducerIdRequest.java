package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;

/**
 * InitProducerIdRequest (key 22), versions 2-5 (all flexible). ProducerId/ProducerEpoch exist from
 * v3 (KIP-360: re-initialise, bumping the epoch of an existing id); -1/-1 asks for a new id. At v2
 * they are not written, so v2 cannot carry an existing id.
 */
public record InitProducerIdRequest(String transactionalId, int transactionTimeoutMs, long producerId, short producerEpoch)
        implements RequestBody {

    @Override
    public ApiKey apiKey() {
        return ApiKey.INIT_PRODUCER_ID;
    }

    @Override
    public ByteBuffer[] toFrame(RequestHeader header) {
        header.checkCanFrame(ApiKey.INIT_PRODUCER_ID, maxUsableVersion());
        short version = header.apiVersion();
        boolean withProducerId = version >= 3;
        if (!withProducerId && (producerId != -1L || producerEpoch != -1)) {
            throw new IllegalArgumentException("InitProducerId v" + version + " cannot carry an existing producer id");
        }
        byte[] txnId = Wire.utf8(transactionalId);
        int size = Wire.sizeOfString(txnId, true) + 4 + (withProducerId ? 8 + 2 : 0) + 1;
        ByteBuffer buf = header.allocateFrame(size, 0);
        Wire.writeString(buf, txnId, true);
        buf.putInt(transactionTimeoutMs);
        if (withProducerId) {
            buf.putLong(producerId);
            buf.putShort(producerEpoch);
        }
        buf.put(Wire.EMPTY_TAGGED_FIELDS);
        return new ByteBuffer[] {buf.flip()};
    }
}
