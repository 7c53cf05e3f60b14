package dev.courier.producer.internals.record;

import java.util.List;

/** A record batch v2 read back by {@link RecordBatchReader}: the header fields and the decoded records. */
public record DecodedBatch(long baseOffset, int partitionLeaderEpoch, byte magic, int crc, short attributes,
        int lastOffsetDelta, long baseTimestamp, long maxTimestamp, long producerId, short producerEpoch,
        int baseSequence, List<DecodedRecord> records) {

    public DecodedBatch {
        records = List.copyOf(records);
    }

    /** The codec named by attribute bits 0-2. */
    public CompressionType compressionType() {
        return CompressionType.forId(attributes & 0x07);
    }

    /** Attribute bit 3: the broker set LogAppendTime. */
    public boolean isLogAppendTime() {
        return (attributes & 0x08) != 0;
    }

    /** Attribute bit 4. */
    public boolean isTransactional() {
        return (attributes & RecordBatchBuilder.TRANSACTIONAL_FLAG) != 0;
    }

    /** Attribute bit 5: a transaction marker written by a broker. */
    public boolean isControl() {
        return (attributes & RecordBatchBuilder.CONTROL_FLAG) != 0;
    }
}
