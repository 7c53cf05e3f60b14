package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * AddPartitionsToTxnRequest (key 24), version 3 only: versions 4+ are broker-to-broker (batched,
 * VerifyOnly). Not sent at all under transactions v2.
 *
 * @param partitionsByTopic partition indexes per topic name
 */
public record AddPartitionsToTxnRequest(String transactionalId, long producerId, short producerEpoch,
                                        Map<String, List<Integer>> partitionsByTopic) implements RequestBody {

    @Override
    public ApiKey apiKey() {
        return ApiKey.ADD_PARTITIONS_TO_TXN;
    }

    @Override
    public ByteBuffer[] toFrame(RequestHeader header) {
        header.checkCanFrame(ApiKey.ADD_PARTITIONS_TO_TXN, maxUsableVersion());
        BodyWriter w = new BodyWriter().string(transactionalId).int64(producerId).int16(producerEpoch)
                .arrayLength(partitionsByTopic.size());
        for (Map.Entry<String, List<Integer>> topic : partitionsByTopic.entrySet()) {
            w.string(topic.getKey()).arrayLength(topic.getValue().size());
            for (int partition : topic.getValue()) {
                w.int32(partition);
            }
            w.emptyTaggedFields();
        }
        return w.emptyTaggedFields().frame(header);
    }
}
