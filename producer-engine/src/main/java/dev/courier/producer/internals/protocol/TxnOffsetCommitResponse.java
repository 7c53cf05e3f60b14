package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** TxnOffsetCommitResponse (key 28), versions 3-5: an error code per partition. */
public record TxnOffsetCommitResponse(int throttleTimeMs, List<PartitionResult> results) {

    public record PartitionResult(String topic, int partition, short errorCode) {
    }

    public static TxnOffsetCommitResponse parse(ByteBuffer body, short version) {
        Responses.checkSupported(ApiKey.TXN_OFFSET_COMMIT, version);
        try {
            WireReader r = new WireReader(body, true);
            int throttle = r.readInt32();
            List<PartitionResult> results = new ArrayList<>();
            int topics = r.readNonNullArrayLength(2, "Topics");
            for (int t = 0; t < topics; t++) {
                String name = r.readString("Name");
                int partitions = r.readNonNullArrayLength(7, "Partitions");
                for (int p = 0; p < partitions; p++) {
                    results.add(new PartitionResult(name, r.readInt32(), r.readInt16()));
                    r.skipTaggedFields();
                }
                r.skipTaggedFields();
            }
            r.skipTaggedFields();
            return new TxnOffsetCommitResponse(throttle, results);
        } catch (RuntimeException e) {
            throw Responses.malformed("TxnOffsetCommitResponse v" + version, e);
        }
    }
}
