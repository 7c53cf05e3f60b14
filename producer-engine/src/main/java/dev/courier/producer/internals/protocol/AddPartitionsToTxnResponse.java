package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** AddPartitionsToTxnResponse (key 24), version 3: an error code per partition. */
public record AddPartitionsToTxnResponse(int throttleTimeMs, List<PartitionResult> results) {

    public record PartitionResult(String topic, int partition, short errorCode) {
    }

    public static AddPartitionsToTxnResponse parse(ByteBuffer body, short version) {
        Responses.checkSupported(ApiKey.ADD_PARTITIONS_TO_TXN, version);
        try {
            WireReader r = new WireReader(body, true);
            int throttle = r.readInt32();
            List<PartitionResult> results = new ArrayList<>();
            int topics = r.readNonNullArrayLength(2, "ResultsByTopicV3AndBelow");
            for (int t = 0; t < topics; t++) {
                String name = r.readString("Name");
                int partitions = r.readNonNullArrayLength(7, "ResultsByPartition");
                for (int p = 0; p < partitions; p++) {
                    results.add(new PartitionResult(name, r.readInt32(), r.readInt16()));
                    r.skipTaggedFields();
                }
                r.skipTaggedFields();
            }
            r.skipTaggedFields();
            return new AddPartitionsToTxnResponse(throttle, results);
        } catch (RuntimeException e) {
            throw Responses.malformed("AddPartitionsToTxnResponse v" + version, e);
        }
    }
}
