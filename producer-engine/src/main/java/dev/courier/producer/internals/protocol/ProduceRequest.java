package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;

/**
 * ProduceRequest (key 0), versions 9-13 (all flexible; v9-v12 are byte-identical, v13 names topics
 * by TopicId instead of Name).
 *
 * <p>Record batches are never copied: {@link #toFrame} returns the small encoded parts as slices of
 * one heap buffer, interleaved with a {@link ByteBuffer#slice() slice} of each partition's batch.
 * The caller's batch buffers keep their position and limit, so the same request can be framed again
 * for a retry. The batch bytes themselves are shared, not copied: their owner (the accumulator's
 * batch) must not modify or release them until the request is completed.
 *
 * @param transactionalId null unless the producer is transactional
 * @param acks            0, 1 or -1
 * @param timeoutMs       how long the leader waits for replication when acks = -1
 * @param versionCap      the highest version the producer allows: a transactional producer on the classic
 *                        protocol (transactions v1) caps at 11, since from 12 a transactional produce adds its
 *                        partition to the transaction implicitly
 */
public record ProduceRequest(String transactionalId, short acks, int timeoutMs, List<TopicData> topics,
                             short versionCap) implements RequestBody {

    /** A request any version may carry. */
    public ProduceRequest(String transactionalId, short acks, int timeoutMs, List<TopicData> topics) {
        this(transactionalId, acks, timeoutMs, topics, ApiKey.PRODUCE.latestVersion);
    }

    /**
     * @param name    topic name (needed for v9-v12)
     * @param topicId the topic's id, or null / zero when unknown (then v13 cannot be used)
     */
    public record TopicData(String name, UUID topicId, List<PartitionData> partitions) {
    }

    /** @param records one record batch between position and limit; null writes a null Records field */
    public record PartitionData(int partition, ByteBuffer records) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.PRODUCE;
    }

    /** 13 only when every topic has a known (non-null, non-zero) id, else 12; never above the cap. */
    @Override
    public short maxUsableVersion() {
        for (int i = 0; i < topics.size(); i++) {
            if (Wire.isZeroUuid(topics.get(i).topicId())) {
                return (short) Math.min(12, versionCap);
            }
        }
        return (short) Math.min(13, versionCap);
    }

    @Override
    public ByteBuffer[] toFrame(RequestHeader header) {
        header.checkCanFrame(ApiKey.PRODUCE, maxUsableVersion());
        boolean byTopicId = header.apiVersion() >= 13;

        // Pass 1: exact sizes. Small parts go into one buffer; batches are counted separately.
        byte[] txnId = Wire.utf8(transactionalId);
        byte[][] names = byTopicId ? null : new byte[topics.size()][];
        int small = Wire.sizeOfString(txnId, true) + 2 + 4 + Wire.sizeOfArrayLength(topics.size(), true);
        long recordBytes = 0;
        int partitionCount = 0;
        for (int t = 0; t < topics.size(); t++) {
            TopicData topic = topics.get(t);
            if (byTopicId) {
                small += 16;
            } else {
                if (topic.name() == null) {
                    throw new IllegalArgumentException("Produce v" + header.apiVersion() + " needs topic names");
                }
                names[t] = Wire.utf8(topic.name());
                small += Wire.sizeOfString(names[t], true);
            }
            List<PartitionData> partitions = topic.partitions();
            small += Wire.sizeOfArrayLength(partitions.size(), true) + 1;
            for (PartitionData partition : partitions) {
                int length = partition.records() == null ? -1 : partition.records().remaining();
                small += 4 + Wire.sizeOfBytesLength(length, true) + 1;
                recordBytes += Math.max(length, 0);
            }
            partitionCount += partitions.size();
        }
        small += 1;

        // Pass 2: write, cutting the small buffer after each records length prefix.
        ByteBuffer buf = header.allocateFrame(small, recordBytes);
        ByteBuffer[] frame = new ByteBuffer[2 * partitionCount + 1];
        int parts = 0;
        int segmentStart = 0;
        Wire.writeString(buf, txnId, true);
        buf.putShort(acks);
        buf.putInt(timeoutMs);
        Wire.writeArrayLength(buf, topics.size(), true);
        for (int t = 0; t < topics.size(); t++) {
            TopicData topic = topics.get(t);
            if (byTopicId) {
                Wire.writeUuid(buf, topic.topicId());
            } else {
                Wire.writeString(buf, names[t], true);
            }
            Wire.writeArrayLength(buf, topic.partitions().size(), true);
            for (PartitionData partition : topic.partitions()) {
                buf.putInt(partition.partition());
                ByteBuffer records = partition.records();
                if (records == null) {
                    Wire.writeBytesLength(buf, -1, true);
                } else {
                    Wire.writeBytesLength(buf, records.remaining(), true);
                    frame[parts++] = buf.slice(segmentStart, buf.position() - segmentStart);
                    frame[parts++] = records.slice();
                    segmentStart = buf.position();
                }
                buf.put(Wire.EMPTY_TAGGED_FIELDS);
            }
            buf.put(Wire.EMPTY_TAGGED_FIELDS);
        }
        buf.put(Wire.EMPTY_TAGGED_FIELDS);
        frame[parts++] = buf.slice(segmentStart, buf.position() - segmentStart);
        if (parts == frame.length) {
            return frame;
        }
        ByteBuffer[] trimmed = new ByteBuffer[parts];
        System.arraycopy(frame, 0, trimmed, 0, parts);
        return trimmed;
    }
}
