package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * ProduceResponse (key 0), versions 9-13 (all flexible). From v10 a partition may carry the tagged
 * {@code CurrentLeader} (tag 0) and the body the tagged {@code NodeEndpoints} (tag 0), sent with
 * NOT_LEADER_OR_FOLLOWER / FENCED_LEADER_EPOCH so the producer can redirect without a metadata
 * round trip (KIP-951).
 */
public record ProduceResponse(List<TopicResponse> topics, int throttleTimeMs, List<NodeEndpoint> nodeEndpoints) {

    /**
     * @param name    topic name (v9-v12), null in v13
     * @param topicId topic id (v13), null before
     */
    public record TopicResponse(String name, UUID topicId, List<PartitionResponse> partitions) {
    }

    /**
     * @param logAppendTimeMs    -1 unless the topic uses LogAppendTime
     * @param currentLeaderId    from the tagged CurrentLeader; -1 when absent
     * @param currentLeaderEpoch from the tagged CurrentLeader; -1 when absent
     */
    public record PartitionResponse(int partition, short errorCode, long baseOffset, long logAppendTimeMs,
                                    long logStartOffset, List<RecordError> recordErrors, String errorMessage,
                                    int currentLeaderId, int currentLeaderEpoch) {
    }

    /** @param batchIndex index of the offending record within the batch */
    public record RecordError(int batchIndex, String message) {
    }

    public record NodeEndpoint(int nodeId, String host, int port, String rack) {
    }

    public static ProduceResponse parse(ByteBuffer body, short version) {
        Responses.checkSupported(ApiKey.PRODUCE, version);
        try {
            return read(new WireReader(body, true), version);
        } catch (RuntimeException e) {
            throw Responses.malformed("ProduceResponse v" + version, e);
        }
    }

    private static ProduceResponse read(WireReader r, short version) {
        boolean byTopicId = version >= 13;
        int topicCount = r.readNonNullArrayLength(byTopicId ? 18 : 3, "Responses");
        List<TopicResponse> topics = new ArrayList<>(topicCount);
        LeaderTag leader = new LeaderTag(); // one for all partitions: each read starts by resetting it
        for (int t = 0; t < topicCount; t++) {
            String name = byTopicId ? null : r.readString("Name");
            UUID topicId = byTopicId ? r.readUuid() : null;
            int partitionCount = r.readNonNullArrayLength(33, "PartitionResponses");
            List<PartitionResponse> partitions = new ArrayList<>(partitionCount);
            for (int p = 0; p < partitionCount; p++) {
                partitions.add(readPartition(r, leader));
            }
            r.skipTaggedFields();
            topics.add(new TopicResponse(name, topicId, Collections.unmodifiableList(partitions)));
        }
        int throttleTimeMs = r.readInt32();
        EndpointsTag endpoints = new EndpointsTag();
        r.readTaggedFields(endpoints);
        return new ProduceResponse(Collections.unmodifiableList(topics), throttleTimeMs, endpoints.endpoints);
    }

    private static PartitionResponse readPartition(WireReader r, LeaderTag leader) {
        int index = r.readInt32();
        short errorCode = r.readInt16();
        long baseOffset = r.readInt64();
        long logAppendTimeMs = r.readInt64();
        long logStartOffset = r.readInt64();
        int errorCount = r.readNonNullArrayLength(3, "RecordErrors");
        List<RecordError> recordErrors;
        if (errorCount == 0) {
            recordErrors = List.of();
        } else {
            List<RecordError> list = new ArrayList<>(errorCount);
            for (int i = 0; i < errorCount; i++) {
                list.add(new RecordError(r.readInt32(), r.readNullableString()));
                r.skipTaggedFields();
            }
            recordErrors = Collections.unmodifiableList(list);
        }
        String errorMessage = r.readNullableString();
        leader.id = -1;
        leader.epoch = -1;
        r.readTaggedFields(leader);
        return new PartitionResponse(index, errorCode, baseOffset, logAppendTimeMs, logStartOffset, recordErrors,
                errorMessage, leader.id, leader.epoch);
    }

    private static List<NodeEndpoint> readNodeEndpoints(WireReader r) {
        int count = r.readNonNullArrayLength(11, "NodeEndpoints");
        List<NodeEndpoint> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(new NodeEndpoint(r.readInt32(), r.readString("Host"), r.readInt32(), r.readNullableString()));
            r.skipTaggedFields();
        }
        return Collections.unmodifiableList(list);
    }

    /** Collects a partition's tagged CurrentLeader (tag 0); reset by the caller before each partition. */
    private static final class LeaderTag implements WireReader.TagVisitor {
        int id;
        int epoch;

        @Override
        public void visit(int tag, WireReader r) {
            if (tag == 0) {
                id = r.readInt32();
                epoch = r.readInt32();
                r.skipTaggedFields();
            }
        }
    }

    /** Collects the body's tagged NodeEndpoints (tag 0). */
    private static final class EndpointsTag implements WireReader.TagVisitor {
        List<NodeEndpoint> endpoints = List.of();

        @Override
        public void visit(int tag, WireReader r) {
            if (tag == 0) {
                endpoints = readNodeEndpoints(r);
            }
        }
    }
}
