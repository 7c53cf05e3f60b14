package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * MetadataRequest (key 3), versions 9-13 (all flexible). Topics are requested by name; from v10 each
 * entry also carries a TopicId, which we send as zero (brokers only look it up by id from v12, and a
 * producer always knows the name). Authorized-operations flags are always false.
 *
 * @param topics                 topic names, or {@code null} for every topic in the cluster
 * @param allowAutoTopicCreation whether the broker may create missing topics (if it allows that)
 */
public record MetadataRequest(List<String> topics, boolean allowAutoTopicCreation) implements RequestBody {

    @Override
    public ApiKey apiKey() {
        return ApiKey.METADATA;
    }

    @Override
    public ByteBuffer[] toFrame(RequestHeader header) {
        header.checkCanFrame(ApiKey.METADATA, maxUsableVersion());
        short version = header.apiVersion();
        boolean withTopicId = version >= 10;
        boolean withClusterOps = version <= 10;

        byte[][] names = null;
        int size;
        if (topics == null) {
            size = Wire.sizeOfArrayLength(-1, true);
        } else {
            names = new byte[topics.size()][];
            size = Wire.sizeOfArrayLength(names.length, true);
            for (int i = 0; i < names.length; i++) {
                String name = topics.get(i);
                if (name == null) {
                    throw new IllegalArgumentException("Topic names in a MetadataRequest must not be null");
                }
                names[i] = Wire.utf8(name);
                size += (withTopicId ? 16 : 0) + Wire.sizeOfString(names[i], true) + 1;
            }
        }
        size += 1 /* AllowAutoTopicCreation */ + (withClusterOps ? 1 : 0) + 1 /* IncludeTopicAuthorizedOperations */ + 1;

        ByteBuffer buf = header.allocateFrame(size, 0);
        if (names == null) {
            Wire.writeArrayLength(buf, -1, true);
        } else {
            Wire.writeArrayLength(buf, names.length, true);
            for (byte[] name : names) {
                if (withTopicId) {
                    Wire.writeUuid(buf, null);
                }
                Wire.writeString(buf, name, true);
                buf.put(Wire.EMPTY_TAGGED_FIELDS);
            }
        }
        buf.put((byte) (allowAutoTopicCreation ? 1 : 0));
        if (withClusterOps) {
            buf.put((byte) 0);
        }
        buf.put((byte) 0);
        buf.put(Wire.EMPTY_TAGGED_FIELDS);
        return new ByteBuffer[] {buf.flip()};
    }
}
