package dev.courier.producer.internals.accumulator;

import dev.courier.producer.internals.record.Compression;
import dev.courier.producer.internals.record.DecodedRecord;
import dev.courier.producer.internals.record.RecordBatchBuilder;
import dev.courier.producer.internals.record.RecordBatchReader;
import dev.courier.producer.internals.record.Sequences;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts a batch the broker refused as too large (MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE) into smaller
 * batches of about equal bytes. Each record keeps its future and callback, so the caller's view does not
 * change.
 *
 * <p>How many pieces: the topic's {@code max.message.bytes} is not in the metadata, so the first refusal
 * for a topic is cut in halves, and halves that are refused again are halved again: at most log2(records)
 * rounds, ending at worst with one record, which then fails as a record too large. Every refusal teaches
 * the smallest size the topic refused; later refused batches of the topic are cut at once into pieces of
 * at most half that size, which costs one round trip instead of several.
 *
 * <p>Sequences: the broker wrote nothing of the refused batch, so its range [base, last] is free; the
 * pieces take consecutive sub-ranges of it in the same producer id and epoch, and batches sequenced after
 * it stay valid.
 *
 * <p>Memory: the refused batch's buffer (its request is over) is handed to the pieces as a reservation,
 * so they need from the pool only the few bytes of their extra headers; the pieces are sized exactly.
 *
 * <p>Sender thread only. Not a hot path: it decodes the batch and copies its records.
 */
final class BatchSplitter {

    private final BufferPool pool;
    private final Compression compression;
    /** Per topic, the smallest encoded batch the broker refused as too large. */
    private final Map<String, Integer> smallestRefusedBytes = new HashMap<>();

    BatchSplitter(BufferPool pool, Compression compression) {
        this.pool = pool;
        this.compression = compression;
    }

    /**
     * The pieces, in order, holding the batch's records, futures and callbacks; the batch itself ends as
     * {@link ProducerBatch.FinalState#SPLIT} and its buffer goes back to the pool.
     *
     * @return null, the batch untouched except that its buffer went back, when the pool cannot lend the
     *     pieces' memory without blocking
     * @throws RuntimeException when the batch cannot be decoded or the pool is closed; the batch then has
     *     not ended and must still be failed
     */
    List<ProducerBatch> split(ProducerBatch batch) {
        if (batch.recordCount() < 2 || !batch.isClosed() || batch.inFlight()) {
            throw new IllegalStateException("Cannot split " + batch);
        }
        // Decoded before the buffer goes back: the encoded bytes live in it.
        List<DecodedRecord> records = RecordBatchReader.read(batch.encoded()).records();
        int[] starts = pieceStarts(records, pieceCount(batch));
        int pieces = starts.length - 1;
        int[] sizes = new int[pieces];
        for (int i = 0; i < pieces; i++) {
            sizes[i] = exactSize(records, starts[i], starts[i + 1]);
        }
        ByteBuffer[] buffers = allocate(batch, sizes);
        if (buffers == null) {
            return null;
        }
        List<ProducerBatch> parts = new ArrayList<>(pieces);
        for (int i = 0; i < pieces; i++) {
            ProducerBatch part = fill(batch, records, starts[i], starts[i + 1], buffers[i]);
            if (batch.hasSequence()) {
                part.setProducerState(batch.producerId(), batch.producerEpoch(),
                        Sequences.increment(batch.baseSequence(), starts[i]));
            }
            parts.add(part);
        }
        if (!batch.markSplit(parts)) {
            throw new IllegalStateException("Split a batch that had already ended: " + batch);
        }
        return parts;
    }

    /** Two, or enough that each piece is at most half the smallest size the topic refused. */
    private int pieceCount(ProducerBatch batch) {
        int refused = batch.encodedSizeInBytes();
        String topic = batch.topicPartition().topic();
        int smallest = Math.min(refused, smallestRefusedBytes.getOrDefault(topic, Integer.MAX_VALUE));
        smallestRefusedBytes.put(topic, smallest);
        long pieces = (2L * refused + smallest - 1) / smallest; // 2 when this is the smallest refusal yet
        return (int) Math.min(batch.recordCount(), Math.max(2, pieces));
    }

    /**
     * Where each piece starts, then the record count: records in order, a new piece whenever the next
     * record would take the current one past {@code 1/pieces} of the bytes. Uneven records may make a
     * piece more; a record larger than a share goes alone.
     */
    static int[] pieceStarts(List<DecodedRecord> records, int pieces) {
        int n = records.size();
        long[] sizes = new long[n];
        long total = 0;
        for (int i = 0; i < n; i++) {
            DecodedRecord r = records.get(i);
            sizes[i] = RecordBatchBuilder.recordSizeInBytes(0, 0, r.key(), r.value(), r.headers());
            total += sizes[i];
        }
        long budget = (total + pieces - 1) / pieces;
        List<Integer> starts = new ArrayList<>(pieces + 1);
        starts.add(0);
        long inPiece = sizes[0];
        for (int i = 1; i < n; i++) {
            if (inPiece + sizes[i] > budget) {
                starts.add(i);
                inPiece = 0;
            }
            inPiece += sizes[i];
        }
        starts.add(n);
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The pieces' buffers, paid first with the refused batch's buffer, whose bytes return to the pool as a
     * reservation; null, with everything given back, when the pool cannot lend the rest now.
     */
    private ByteBuffer[] allocate(ProducerBatch batch, int[] sizes) {
        int reserved = batch.markBufferReleased() ? batch.pooledBuffer().capacity() : 0;
        ByteBuffer[] buffers = new ByteBuffer[sizes.length];
        int allocated = 0;
        try {
            for (int i = 0; i < sizes.length; i++) {
                int fromReservation = i == sizes.length - 1 ? reserved : Math.min(reserved, sizes[i]);
                buffers[i] = pool.allocateFromReservation(sizes[i], fromReservation);
                if (buffers[i] == null) {
                    break;
                }
                reserved -= fromReservation;
                allocated++;
            }
        } finally {
            if (allocated < sizes.length) { // short of memory, or the pool closed meanwhile
                pool.release(reserved);
                for (int i = 0; i < allocated; i++) {
                    pool.deallocate(buffers[i]);
                }
            }
        }
        return allocated == sizes.length ? buffers : null;
    }

    /** Bytes of a batch holding records [from, to) with the deltas it will write. */
    private static int exactSize(List<DecodedRecord> records, int from, int to) {
        long size = RecordBatchBuilder.BATCH_HEADER_SIZE;
        long baseTimestamp = records.get(from).timestamp();
        for (int i = from; i < to; i++) {
            DecodedRecord r = records.get(i);
            size += RecordBatchBuilder.recordSizeInBytes(r.timestamp() - baseTimestamp, i - from, r.key(),
                    r.value(), r.headers());
        }
        return (int) Math.min(size, Integer.MAX_VALUE);
    }

    private ProducerBatch fill(ProducerBatch batch, List<DecodedRecord> records, int from, int to,
                               ByteBuffer buffer) {
        buffer.clear();
        ProducerBatch part = new ProducerBatch(batch.topicPartition(), buffer,
                new RecordBatchBuilder(buffer, compression), batch.createdMs());
        for (int i = from; i < to; i++) {
            DecodedRecord r = records.get(i);
            if (!part.tryAppend(r.timestamp(), r.key(), r.value(), r.headers(), batch.futureAt(i),
                    batch.callbackAt(i), batch.metadataWaitAt(i))) {
                throw new IllegalStateException("Record " + i + " of " + batch + " did not fit its exactly sized piece");
            }
        }
        return part;
    }
}
