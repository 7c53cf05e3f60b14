package dev.courier.producer.internals.accumulator;

import dev.courier.producer.internals.record.Compression;
import dev.courier.producer.internals.record.DecodedRecord;
import dev.courier.producer.internals.record.RecordBatchBuilder;
import dev.courier.producer.internals.record.RecordBatchReader;
import dev.courier.producer.internals.record.Sequences;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Cuts a batch the broker refused as too large (MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE) into two halves
 * of about equal bytes. Each record keeps its future and callback, so the caller's view does not change.
 *
 * <p>Why halves and not batch.size pieces: the topic's {@code max.message.bytes} is not in the metadata,
 * and batch.size is what was too large. Halving again on each refusal ends in at most log2(records)
 * rounds, with one record left at worst, which then fails as a record too large.
 *
 * <p>Sequences: the broker wrote nothing of the refused batch, so its range [base, last] is free; the
 * halves take [base, base+n1-1] and [base+n1, last] in the same producer id and epoch, and batches
 * sequenced after it stay valid.
 *
 * <p>Memory: the refused batch's buffer (its request is over) is handed to the halves as a reservation,
 * so they need from the pool only the few bytes of the second header; the halves are sized exactly.
 *
 * <p>Sender thread only. Not a hot path: it decodes the batch and copies its records.
 */
final class BatchSplitter {

    private final BufferPool pool;
    private final Compression compression;

    BatchSplitter(BufferPool pool, Compression compression) {
        this.pool = pool;
        this.compression = compression;
    }

    /**
     * The two halves, in order, holding the batch's records, futures and callbacks; the batch itself
     * ends as {@link ProducerBatch.FinalState#SPLIT} and its buffer goes back to the pool.
     *
     * @return null, the batch untouched except that its buffer went back, when the pool cannot lend the
     *     halves' memory without blocking
     * @throws RuntimeException when the batch cannot be decoded or the pool is closed; the batch then has
     *     not ended and must still be failed
     */
    List<ProducerBatch> split(ProducerBatch batch) {
        if (batch.recordCount() < 2 || !batch.isClosed() || batch.inFlight()) {
            throw new IllegalStateException("Cannot split " + batch);
        }
        // Decoded before the buffer goes back: the encoded bytes live in it.
        List<DecodedRecord> records = RecordBatchReader.read(batch.encoded()).records();
        int cut = cutIndex(records);
        int firstSize = exactSize(records, 0, cut);
        int secondSize = exactSize(records, cut, records.size());

        int reserved = batch.markBufferReleased() ? batch.pooledBuffer().capacity() : 0;
        int forFirst = Math.min(reserved, firstSize);
        ByteBuffer firstBuffer = pool.allocateFromReservation(firstSize, forFirst);
        if (firstBuffer == null) {
            pool.release(reserved);
            return null;
        }
        int forSecond = reserved - forFirst;
        ByteBuffer secondBuffer;
        try {
            secondBuffer = pool.allocateFromReservation(secondSize, forSecond);
        } catch (RuntimeException e) { // the pool closed meanwhile
            pool.deallocate(firstBuffer);
            throw e;
        }
        if (secondBuffer == null) {
            pool.release(forSecond);
            pool.deallocate(firstBuffer);
            return null;
        }
        ProducerBatch first = fill(batch, records, 0, cut, firstBuffer);
        ProducerBatch second = fill(batch, records, cut, records.size(), secondBuffer);
        if (batch.hasSequence()) {
            first.setProducerState(batch.producerId(), batch.producerEpoch(), batch.baseSequence());
            second.setProducerState(batch.producerId(), batch.producerEpoch(),
                    Sequences.increment(batch.baseSequence(), cut));
        }
        List<ProducerBatch> halves = List.of(first, second);
        if (!batch.markSplit(halves)) {
            throw new IllegalStateException("Split a batch that had already ended: " + batch);
        }
        return halves;
    }

    /** The first record of the second half: where the running size passes half the total. */
    private static int cutIndex(List<DecodedRecord> records) {
        long total = 0;
        long[] sizes = new long[records.size()];
        for (int i = 0; i < sizes.length; i++) {
            DecodedRecord r = records.get(i);
            sizes[i] = RecordBatchBuilder.recordSizeInBytes(0, 0, r.key(), r.value(), r.headers());
            total += sizes[i];
        }
        long running = 0;
        for (int i = 0; i < sizes.length - 1; i++) {
            running += sizes[i];
            if (running * 2 >= total) {
                return i + 1;
            }
        }
        return sizes.length - 1;
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
                    batch.callbackAt(i))) {
                throw new IllegalStateException("Record " + i + " of " + batch + " did not fit its exactly sized half");
            }
        }
        return part;
    }
}
