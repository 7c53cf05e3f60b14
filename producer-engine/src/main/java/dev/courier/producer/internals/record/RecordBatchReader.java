package dev.courier.producer.internals.record;

import dev.courier.producer.Header;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes record batches v2, verifying the CRC and decompressing, for tests and diagnostics.
 *
 * <p>Stateless and thread-safe. Allocates freely: this is not a hot path.
 */
public final class RecordBatchReader {

    private RecordBatchReader() {
    }

    /**
     * Reads the one batch starting at the buffer's position (which is left unchanged). Bytes after the
     * batch are ignored.
     *
     * @throws CorruptRecordException if the bytes are not a valid batch (wrong magic, CRC mismatch,
     *     truncation, record count or offset deltas that do not add up, unreadable compressed stream)
     */
    public static DecodedBatch read(ByteBuffer batch) {
        ByteBuffer in = batch.duplicate();
        int base = in.position();
        if (in.remaining() < RecordBatchBuilder.BATCH_HEADER_SIZE) {
            throw new CorruptRecordException("Only " + in.remaining() + " bytes, a batch header needs "
                    + RecordBatchBuilder.BATCH_HEADER_SIZE);
        }
        byte magic = in.get(base + RecordBatchBuilder.MAGIC_OFFSET);
        if (magic != RecordBatchBuilder.MAGIC) {
            throw new CorruptRecordException("Unsupported magic " + magic + " (only record batch v2 is read)");
        }
        int size = RecordBatchBuilder.LOG_OVERHEAD + in.getInt(base + RecordBatchBuilder.LENGTH_OFFSET);
        if (size < RecordBatchBuilder.BATCH_HEADER_SIZE || size > in.remaining()) {
            throw new CorruptRecordException("Batch length says " + size + " bytes, " + in.remaining() + " available");
        }
        int storedCrc = in.getInt(base + RecordBatchBuilder.CRC_OFFSET);
        int actualCrc = RecordBatchBuilder.computeCrc(in, base, size);
        if (storedCrc != actualCrc) {
            throw new CorruptRecordException(String.format("CRC mismatch: stored %08x, computed %08x", storedCrc, actualCrc));
        }
        short attributes = in.getShort(base + RecordBatchBuilder.ATTRIBUTES_OFFSET);
        int codecId = attributes & 0x07;
        if (codecId > CompressionType.ZSTD.id) {
            throw new CorruptRecordException("Invalid compression type id " + codecId);
        }
        int lastOffsetDelta = in.getInt(base + RecordBatchBuilder.LAST_OFFSET_DELTA_OFFSET);
        long baseTimestamp = in.getLong(base + RecordBatchBuilder.BASE_TIMESTAMP_OFFSET);
        long maxTimestamp = in.getLong(base + RecordBatchBuilder.MAX_TIMESTAMP_OFFSET);
        // With LogAppendTime every record's timestamp is the broker's, held in maxTimestamp (as Kafka reads it).
        boolean logAppendTime = (attributes & 0x08) != 0;
        int count = in.getInt(base + RecordBatchBuilder.RECORDS_COUNT_OFFSET);
        if (count < 0) {
            throw new CorruptRecordException("Negative record count " + count);
        }

        ByteBuffer section = in.duplicate();
        section.limit(base + size).position(base + RecordBatchBuilder.BATCH_HEADER_SIZE);
        ByteBuffer records = Compression.decompress(CompressionType.forId(codecId), section);
        List<DecodedRecord> decoded = new ArrayList<>(Math.min(count, 1024));
        try {
            for (int i = 0; i < count; i++) {
                decoded.add(readRecord(records, baseTimestamp, logAppendTime, maxTimestamp));
            }
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new CorruptRecordException("Malformed record " + decoded.size() + " of " + count, e);
        }
        if (records.hasRemaining()) {
            throw new CorruptRecordException(records.remaining() + " bytes left after " + count + " records");
        }
        return new DecodedBatch(
                in.getLong(base + RecordBatchBuilder.BASE_OFFSET_OFFSET),
                in.getInt(base + RecordBatchBuilder.PARTITION_LEADER_EPOCH_OFFSET),
                magic, storedCrc, attributes, lastOffsetDelta, baseTimestamp,
                maxTimestamp,
                in.getLong(base + RecordBatchBuilder.PRODUCER_ID_OFFSET),
                in.getShort(base + RecordBatchBuilder.PRODUCER_EPOCH_OFFSET),
                in.getInt(base + RecordBatchBuilder.BASE_SEQUENCE_OFFSET),
                decoded);
    }

    /**
     * Reads consecutive batches from position to limit (for example a whole Produce partition payload).
     */
    public static List<DecodedBatch> readAll(ByteBuffer batches) {
        ByteBuffer in = batches.duplicate();
        List<DecodedBatch> result = new ArrayList<>();
        while (in.hasRemaining()) {
            if (in.remaining() < RecordBatchBuilder.LOG_OVERHEAD) {
                throw new CorruptRecordException("Trailing " + in.remaining() + " bytes are not a batch");
            }
            int size = RecordBatchBuilder.LOG_OVERHEAD + in.getInt(in.position() + RecordBatchBuilder.LENGTH_OFFSET);
            result.add(read(in));
            in.position(in.position() + size);
        }
        return result;
    }

    private static DecodedRecord readRecord(ByteBuffer in, long baseTimestamp, boolean logAppendTime,
            long maxTimestamp) {
        int length = ByteUtils.readVarint(in);
        if (length < 0 || length > in.remaining()) {
            throw new CorruptRecordException("Record length " + length + " exceeds the " + in.remaining() + " bytes left");
        }
        int end = in.position() + length;
        in.get(); // attributes, unused
        long timestampDelta = ByteUtils.readVarlong(in);
        long timestamp = logAppendTime ? maxTimestamp : baseTimestamp + timestampDelta;
        int offsetDelta = ByteUtils.readVarint(in);
        byte[] key = readBytes(in);
        byte[] value = readBytes(in);
        int headerCount = ByteUtils.readVarint(in);
        if (headerCount < 0) {
            throw new CorruptRecordException("Negative header count " + headerCount);
        }
        List<Header> headers = new ArrayList<>(Math.min(headerCount, 64));
        for (int i = 0; i < headerCount; i++) {
            byte[] headerKey = readBytes(in);
            if (headerKey == null) {
                throw new CorruptRecordException("Null header key");
            }
            headers.add(new Header(new String(headerKey, StandardCharsets.UTF_8), readBytes(in)));
        }
        if (in.position() != end) {
            throw new CorruptRecordException("Record length " + length + " does not match its content");
        }
        return new DecodedRecord(timestamp, offsetDelta, key, value, headers);
    }

    private static byte[] readBytes(ByteBuffer in) {
        int length = ByteUtils.readVarint(in);
        if (length < 0) {
            return null;
        }
        if (length > in.remaining()) {
            throw new CorruptRecordException("Field of " + length + " bytes exceeds the " + in.remaining() + " bytes left");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }
}
