package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * TxnOffsetCommitRequest (key 28), versions 3-5 (same bytes; v4 may answer TRANSACTION_ABORTABLE), sent
 * to the group coordinator. Version 5 is transactions v2, where it also adds the offsets to the
 * transaction (no AddOffsetsToTxn), so a producer on the classic protocol caps the version at 4.
 *
 * @param offsetsByTopic per topic name, the partitions' offsets
 */
public record TxnOffsetCommitRequest(String transactionalId, String groupId, long producerId, short producerEpoch,
                                     int generationId, String memberId, String groupInstanceId,
                                     Map<String, List<PartitionOffset>> offsetsByTopic, short versionCap)
        implements RequestBody {

    /** Transactions v1: at most v4. */
    public TxnOffsetCommitRequest(String transactionalId, String groupId, long producerId, short producerEpoch,
                                  int generationId, String memberId, String groupInstanceId,
                                  Map<String, List<PartitionOffset>> offsetsByTopic) {
        this(transactionalId, groupId, producerId, producerEpoch, generationId, memberId, groupInstanceId,
                offsetsByTopic, (short) 4);
    }

    @Override
    public short maxUsableVersion() {
        return versionCap;
    }

    /** @param metadata nullable */
    public record PartitionOffset(int partition, long offset, String metadata) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.TXN_OFFSET_COMMIT;
    }

    @Override
    public ByteBuffer[] toFrame(RequestHeader header) {
        header.checkCanFrame(ApiKey.TXN_OFFSET_COMMIT, maxUsableVersion());
        BodyWriter w = new BodyWriter().string(transactionalId).string(groupId).int64(producerId).int16(producerEpoch)
                .int32(generationId).string(memberId).string(groupInstanceId).arrayLength(offsetsByTopic.size());
        for (Map.Entry<String, List<PartitionOffset>> topic : offsetsByTopic.entrySet()) {
            w.string(topic.getKey()).arrayLength(topic.getValue().size());
            for (PartitionOffset p : topic.getValue()) {
                w.int32(p.partition()).int64(p.offset()).int32(-1).string(p.metadata()).emptyTaggedFields();
            }
            w.emptyTaggedFields();
        }
        return w.emptyTaggedFields().frame(header);
    }
}
