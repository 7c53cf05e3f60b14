package dev.courier.producer.internals.record;

import dev.courier.producer.Header;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes one record batch v2 (magic 2) into a caller-supplied (pooled) buffer.
 *
 * <p>Records are appended uncompressed from {@code buffer.position() + 61} up to {@code buffer.limit()};
 * the 61-byte header is written by {@link #close()}, after optional compression of the records
 * section, because the CRC covers everything from the attributes to the end. The caller's buffer
 * position and limit are never changed; the builder works on its own view of the region.
 *
 * <p>Not thread-safe: the caller guards it (appends under the accumulator's deque lock, close on the
 * sender thread once the batch is no longer appendable).
 */
public final class RecordBatchBuilder {

    public static final int BATCH_HEADER_SIZE = 61;
    /** Size of the length varint, attributes, timestamp delta and offset delta at their largest. */
    public static final int MAX_RECORD_OVERHEAD = ByteUtils.MAX_VARINT_SIZE + 1 + ByteUtils.MAX_VARLONG_SIZE
            + ByteUtils.MAX_VARINT_SIZE;

    static final int BASE_OFFSET_OFFSET = 0;
    static final int LENGTH_OFFSET = 8;
    static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    static final int MAGIC_OFFSET = 16;
    static final int CRC_OFFSET = 17;
    static final int ATTRIBUTES_OFFSET = 21;
    static final int LAST_OFFSET_DELTA_OFFSET = 23;
    static final int BASE_TIMESTAMP_OFFSET = 27;
    static final int MAX_TIMESTAMP_OFFSET = 35;
    static final int PRODUCER_ID_OFFSET = 43;
    static final int PRODUCER_EPOCH_OFFSET = 51;
    static final int BASE_SEQUENCE_OFFSET = 53;
    static final int RECORDS_COUNT_OFFSET = 57;
    /** Bytes before the batchLength field's coverage starts: baseOffset + batchLength. */
    static final int LOG_OVERHEAD = 12;
    static final byte MAGIC = 2;
    static final short TRANSACTIONAL_FLAG = 0x10;
    static final short CONTROL_FLAG = 0x20;

    private final ByteBuffer buffer;
    private final int start;
    private final Compression compression;

    private int recordCount;
    private long baseTimestamp;
    private long maxTimestamp;
    private long producerId = -1L;
    private short producerEpoch = -1;
    private int baseSequence = -1;
    private boolean transactional;
    /** The batch's bytes, records compressed, header not yet written, once sealed; null while open. */
    private ByteBuffer sealedBatch;
    /** The finished batch (positioned 0..size) once closed; null while open. */
    private ByteBuffer closedBatch;
    private int uncompressedSize;

    /**
     * Starts a batch at {@code buffer.position()}; records may fill the buffer up to its limit.
     *
     * @throws IllegalArgumentException if fewer than 61 bytes remain
     */
    public RecordBatchBuilder(ByteBuffer buffer, Compression compression) {
        if (buffer.remaining() < BATCH_HEADER_SIZE) {
            throw new IllegalArgumentException("A batch needs at least " + BATCH_HEADER_SIZE + " bytes, got "
                    + buffer.remaining());
        }
        this.buffer = buffer.duplicate(); // big-endian by default, independent position
        this.start = buffer.position();
        this.compression = compression;
        this.buffer.position(start + BATCH_HEADER_SIZE);
    }

    /** Whether one more record of this shape fits in the buffer, for its exact encoded size. */
    public boolean hasRoomFor(long timestamp, byte[] key, byte[] value, List<Header> headers) {
        if (closedBatch != null) {
            return false;
        }
        long bodySize = recordBodySize(timestampDelta(timestamp), recordCount, key, value, headers);
        if (bodySize > Integer.MAX_VALUE) {
            return false;
        }
        return ByteUtils.sizeOfVarint((int) bodySize) + bodySize <= buffer.remaining();
    }

    /**
     * Appends a record with offsetDelta = {@link #recordCount()} and a timestamp delta against the first
     * record's timestamp.
     *
     * @param headers may be null or empty
     * @throws IllegalStateException if the batch is closed or the record does not fit
     */
    public void append(long timestamp, byte[] key, byte[] value, List<Header> headers) {
        if (closedBatch != null) {
            throw new IllegalStateException("Batch is closed");
        }
        if (!tryAppend(timestamp, key, value, headers)) {
            throw new IllegalStateException("No room for a record of " + estimateRecordSizeUpperBound(key, value,
                    headers) + " bytes (upper bound); " + buffer.remaining() + " bytes left");
        }
    }

    /**
     * Appends the record if it fits, sizing it once: the accumulator's path, where a separate
     * {@link #hasRoomFor} and {@link #append} would size every record twice.
     *
     * @return false, writing nothing, when the batch is closed or the record does not fit
     */
    public boolean tryAppend(long timestamp, byte[] key, byte[] value, List<Header> headers) {
        if (sealedBatch != null) {
            return false;
        }
        long timestampDelta = timestampDelta(timestamp);
        long bodySize = recordBodySize(timestampDelta, recordCount, key, value, headers);
        if (bodySize > Integer.MAX_VALUE
                || ByteUtils.sizeOfVarint((int) bodySize) + bodySize > buffer.remaining()) {
            return false;
        }
        ByteBuffer out = buffer;
        ByteUtils.writeVarint((int) bodySize, out);
        out.put((byte) 0);
        ByteUtils.writeVarlong(timestampDelta, out);
        ByteUtils.writeVarint(recordCount, out);
        writeBytes(key, out);
        writeBytes(value, out);
        int headerCount = headers == null ? 0 : headers.size();
        ByteUtils.writeVarint(headerCount, out);
        for (int i = 0; i < headerCount; i++) {
            Header header = headers.get(i);
            ByteUtils.writeVarint(Utf8.encodedLength(header.key()), out);
            Utf8.write(header.key(), out);
            writeBytes(header.value(), out);
        }
        if (recordCount == 0) {
            baseTimestamp = timestamp;
            maxTimestamp = timestamp;
        } else if (timestamp > maxTimestamp) {
            maxTimestamp = timestamp;
        }
        recordCount++;
        return true;
    }

    public int recordCount() {
        return recordCount;
    }

    public boolean isEmpty() {
        return recordCount == 0;
    }

    public boolean isClosed() {
        return closedBatch != null;
    }

    /** Whether appends have ended and the records are compressed ({@link #seal()}). */
    public boolean isSealed() {
        return sealedBatch != null;
    }

    /** Bytes written so far including the 61-byte header, before compression. */
    public int sizeInBytes() {
        return sealedBatch == null ? buffer.position() - start : uncompressedSize;
    }

    /**
     * Size of the closed batch as sent (after compression).
     *
     * @throws IllegalStateException if not closed yet
     */
    public int closedSizeInBytes() {
        if (closedBatch == null) {
            throw new IllegalStateException("Batch is not closed");
        }
        return closedBatch.limit();
    }

    /** Sets producer id/epoch/base sequence/transactional flag before close (defaults -1/-1/-1/false). */
    public void setProducerState(long producerId, short producerEpoch, int baseSequence, boolean transactional) {
        if (closedBatch != null) {
            throw new IllegalStateException("Batch is closed; use rewriteProducerState");
        }
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        this.transactional = transactional;
    }

    /**
     * Ends appends and compresses the records section if configured, leaving only the header and CRC to
     * {@link #close}. Separate so that the thread that filled the batch can pay for its compression,
     * while producer state (set later, when the batch is drained) still goes into the header for free.
     * Compressed output is copied back into the builder's buffer when it fits, otherwise into a new heap
     * buffer. Does nothing if already sealed.
     *
     * @throws IllegalStateException if the batch holds no record (a broker rejects empty batches)
     */
    public void seal() {
        if (sealedBatch != null) {
            return;
        }
        if (recordCount == 0) {
            throw new IllegalStateException("Cannot close a batch without records");
        }
        int recordsEnd = buffer.position();
        uncompressedSize = recordsEnd - start;
        if (compression.type() == CompressionType.NONE) {
            sealedBatch = region(start, recordsEnd);
            return;
        }
        ByteBuffer records = region(start + BATCH_HEADER_SIZE, recordsEnd);
        sealedBatch = compression.compress(records, compressed -> {
            int batchSize = BATCH_HEADER_SIZE + compressed.remaining();
            ByteBuffer batch = batchSize <= buffer.limit() - start
                    ? region(start, start + batchSize)
                    : ByteBuffer.allocate(batchSize);
            batch.put(BATCH_HEADER_SIZE, compressed, compressed.position(), compressed.remaining());
            return batch;
        });
    }

    /**
     * Seals the batch if that has not happened yet, writes the header and CRC-32C, and returns the whole
     * batch positioned 0..size. A second call returns (a view of) the same bytes.
     *
     * @throws IllegalStateException if the batch holds no record (a broker rejects empty batches)
     */
    public ByteBuffer close() {
        if (closedBatch != null) {
            return closedBatch.duplicate();
        }
        seal();
        writeHeader(sealedBatch);
        closedBatch = sealedBatch;
        return closedBatch.duplicate();
    }

    private void writeHeader(ByteBuffer batch) {
        int size = batch.limit();
        short attributes = (short) (compression.type().id | (transactional ? TRANSACTIONAL_FLAG : 0));
        batch.putLong(BASE_OFFSET_OFFSET, 0L);
        batch.putInt(LENGTH_OFFSET, size - LOG_OVERHEAD);
        batch.putInt(PARTITION_LEADER_EPOCH_OFFSET, -1);
        batch.put(MAGIC_OFFSET, MAGIC);
        batch.putShort(ATTRIBUTES_OFFSET, attributes);
        batch.putInt(LAST_OFFSET_DELTA_OFFSET, recordCount - 1);
        batch.putLong(BASE_TIMESTAMP_OFFSET, baseTimestamp);
        batch.putLong(MAX_TIMESTAMP_OFFSET, maxTimestamp);
        batch.putLong(PRODUCER_ID_OFFSET, producerId);
        batch.putShort(PRODUCER_EPOCH_OFFSET, producerEpoch);
        batch.putInt(BASE_SEQUENCE_OFFSET, baseSequence);
        batch.putInt(RECORDS_COUNT_OFFSET, recordCount);
        batch.putInt(CRC_OFFSET, computeCrc(batch, 0, size));
    }

    /**
     * Rewrites producer id, epoch and base sequence of a closed batch in place and recomputes the CRC
     * (for an epoch bump or sequence reset before a retry). The batch starts at its position, which is
     * left unchanged.
     *
     * @throws IllegalArgumentException if the bytes are not a complete magic 2 batch
     */
    public static void rewriteProducerState(ByteBuffer closedBatch, long producerId, short producerEpoch,
            int baseSequence) {
        int base = closedBatch.position();
        if (closedBatch.remaining() < BATCH_HEADER_SIZE || closedBatch.get(base + MAGIC_OFFSET) != MAGIC) {
            throw new IllegalArgumentException("Not a record batch v2");
        }
        int size = LOG_OVERHEAD + closedBatch.getInt(base + LENGTH_OFFSET);
        if (size < BATCH_HEADER_SIZE || size > closedBatch.remaining()) {
            throw new IllegalArgumentException("Batch length " + size + " does not match the " + closedBatch.remaining()
                    + " bytes given");
        }
        closedBatch.putLong(base + PRODUCER_ID_OFFSET, producerId);
        closedBatch.putShort(base + PRODUCER_EPOCH_OFFSET, producerEpoch);
        closedBatch.putInt(base + BASE_SEQUENCE_OFFSET, baseSequence);
        closedBatch.putInt(base + CRC_OFFSET, computeCrc(closedBatch, base, size));
    }

    /** Upper bound of the bytes one record adds (length varint + body), whatever its deltas. */
    public static int estimateRecordSizeUpperBound(byte[] key, byte[] value, List<Header> headers) {
        long size = MAX_RECORD_OVERHEAD + payloadSize(key, value, headers);
        return (int) Math.min(size, Integer.MAX_VALUE);
    }

    /** Exact bytes one record adds (length varint + body) with these deltas; for sizing a split batch. */
    public static long recordSizeInBytes(long timestampDelta, int offsetDelta, byte[] key, byte[] value,
                                         List<Header> headers) {
        long body = recordBodySize(timestampDelta, offsetDelta, key, value, headers);
        return ByteUtils.sizeOfVarint((int) Math.min(body, Integer.MAX_VALUE)) + body;
    }

    /** Bytes a batch holding just this record needs: 61 + {@link #estimateRecordSizeUpperBound}. */
    public static int estimateBatchSizeUpperBound(byte[] key, byte[] value, List<Header> headers) {
        long size = (long) BATCH_HEADER_SIZE + estimateRecordSizeUpperBound(key, value, headers);
        return (int) Math.min(size, Integer.MAX_VALUE);
    }

    /** CRC-32C of {@code batch[base + 21, base + size)}, without copying. */
    static int computeCrc(ByteBuffer batch, int base, int size) {
        CRC32C crc = new CRC32C();
        ByteBuffer covered = batch.duplicate();
        covered.limit(base + size).position(base + ATTRIBUTES_OFFSET);
        crc.update(covered);
        return (int) crc.getValue();
    }

    private long timestampDelta(long timestamp) {
        return recordCount == 0 ? 0L : timestamp - baseTimestamp;
    }

    /** A view of {@code [from, to)} of the builder's buffer, positioned 0..to-from. */
    private ByteBuffer region(int from, int to) {
        ByteBuffer view = buffer.duplicate();
        view.limit(to).position(from);
        return view.slice();
    }

    private static long recordBodySize(long timestampDelta, int offsetDelta, byte[] key, byte[] value,
            List<Header> headers) {
        return 1L + ByteUtils.sizeOfVarlong(timestampDelta) + ByteUtils.sizeOfVarint(offsetDelta)
                + payloadSize(key, value, headers);
    }

    /** Key, value and headers with their length prefixes. */
    private static long payloadSize(byte[] key, byte[] value, List<Header> headers) {
        long size = sizeOfBytes(key) + sizeOfBytes(value);
        int headerCount = headers == null ? 0 : headers.size();
        size += ByteUtils.sizeOfVarint(headerCount);
        for (int i = 0; i < headerCount; i++) {
            Header header = headers.get(i);
            int keyLength = Utf8.encodedLength(header.key());
            size += ByteUtils.sizeOfVarint(keyLength) + keyLength + sizeOfBytes(header.value());
        }
        return size;
    }

    private static long sizeOfBytes(byte[] bytes) {
        return bytes == null ? 1 : ByteUtils.sizeOfVarint(bytes.length) + (long) bytes.length;
    }

    private static void writeBytes(byte[] bytes, ByteBuffer out) {
        if (bytes == null) {
            ByteUtils.writeVarint(-1, out);
        } else {
            ByteUtils.writeVarint(bytes.length, out);
            out.put(bytes);
        }
    }
}
