package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * MetadataResponse (key 3), versions 9-13 (all flexible). Authorized-operation bitfields are read
 * and dropped; unknown tagged fields are skipped.
 *
 * @param errorCode top-level error (v13+, e.g. REBOOTSTRAP_REQUIRED); 0 for older versions
 */
public record MetadataResponse(int throttleTimeMs, List<Broker> brokers, String clusterId, int controllerId,
                               List<TopicMetadata> topics, short errorCode) {

    /** @param rack null when the broker has no rack */
    public record Broker(int nodeId, String host, int port, String rack) {
    }

    /**
     * @param name    null only for a topic requested by id that does not exist (v12+)
     * @param topicId null when the broker sent none (v9) or the all-zero id (topic unknown)
     */
    public record TopicMetadata(short errorCode, String name, UUID topicId, boolean isInternal,
                                List<PartitionMetadata> partitions) {
    }

    /** @param leaderId -1 when the partition has no leader */
    public record PartitionMetadata(short errorCode, int partition, int leaderId, int leaderEpoch, int[] replicas,
                                    int[] isr, int[] offlineReplicas) {
    }

    public static MetadataResponse parse(ByteBuffer body, short version) {
        Responses.checkSupported(ApiKey.METADATA, version);
        try {
            return read(new WireReader(body, true), version);
        } catch (RuntimeException e) {
            throw Responses.malformed("MetadataResponse v" + version, e);
        }
    }

    private static MetadataResponse read(WireReader r, short version) {
        int throttleTimeMs = r.readInt32();

        int brokerCount = r.readNonNullArrayLength(11, "Brokers");
        List<Broker> brokers = new ArrayList<>(brokerCount);
        for (int i = 0; i < brokerCount; i++) {
            brokers.add(new Broker(r.readInt32(), r.readString("Host"), r.readInt32(), r.readNullableString()));
            r.skipTaggedFields();
        }
        String clusterId = r.readNullableString();
        int controllerId = r.readInt32();

        int topicCount = r.readNonNullArrayLength(version >= 10 ? 25 : 9, "Topics");
        List<TopicMetadata> topics = new ArrayList<>(topicCount);
        for (int i = 0; i < topicCount; i++) {
            topics.add(readTopic(r, version));
        }
        if (version <= 10) {
            r.readInt32(); // ClusterAuthorizedOperations
        }
        short errorCode = version >= 13 ? r.readInt16() : 0;
        r.skipTaggedFields();
        return new MetadataResponse(throttleTimeMs, Collections.unmodifiableList(brokers), clusterId, controllerId,
                Collections.unmodifiableList(topics), errorCode);
    }

    private static TopicMetadata readTopic(WireReader r, short version) {
        short errorCode = r.readInt16();
        String name = r.readNullableString();
        if (name == null && version < 12) {
            throw new MalformedMessageException("Topic name is null in MetadataResponse v" + version);
        }
        UUID topicId = version >= 10 ? r.readUuid() : null;
        boolean isInternal = r.readBool();
        int partitionCount = r.readNonNullArrayLength(18, "Partitions");
        List<PartitionMetadata> partitions = new ArrayList<>(partitionCount);
        for (int i = 0; i < partitionCount; i++) {
            short partitionError = r.readInt16();
            int index = r.readInt32();
            int leaderId = r.readInt32();
            int leaderEpoch = r.readInt32();
            int[] replicas = r.readInt32Array("ReplicaNodes");
            int[] isr = r.readInt32Array("IsrNodes");
            int[] offline = r.readInt32Array("OfflineReplicas");
            r.skipTaggedFields();
            partitions.add(new PartitionMetadata(partitionError, index, leaderId, leaderEpoch, replicas, isr, offline));
        }
        r.readInt32(); // TopicAuthorizedOperations
        r.skipTaggedFields();
        return new TopicMetadata(errorCode, name, topicId, isInternal, Collections.unmodifiableList(partitions));
    }
}
