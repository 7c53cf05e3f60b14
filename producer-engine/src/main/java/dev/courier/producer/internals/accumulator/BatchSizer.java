package dev.courier.producer.internals.accumulator;

import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.record.CompressionType;
import dev.courier.producer.internals.record.RecordBatchBuilder;

/**
 * How big a partition's next batch is, and what an open batch will take on the wire. Without compression
 * a batch is batch.size; with compression it holds as many uncompressed bytes as are expected to compress
 * to batch.size (as kafka-clients does), learnt per topic by a {@link CompressionRatioEstimator} and kept
 * below max.request.size.
 *
 * <p>Threading: the estimator is thread-safe; callers size new batches while the sender teaches it.
 */
final class BatchSizer {

    /**
     * Bytes of max.request.size left for the request and topic headers and for a codec's expansion of
     * data that did not compress.
     */
    static final int REQUEST_HEADROOM = 4096;

    private final int batchSize;
    private final BufferPool pool;
    /** Largest buffer a compressed batch may take: its encoded form must stay within max.request.size. */
    private final int maxBatchBufferSize;
    /** Null without compression: every batch is then exactly batch.size (or one record) big. */
    private final CompressionRatioEstimator ratios;

    BatchSizer(int batchSize, CompressionType compression, BufferPool pool, int maxRequestSize) {
        this.batchSize = batchSize;
        this.pool = pool;
        this.maxBatchBufferSize = (int) Math.max(batchSize,
                Math.min(maxRequestSize - (long) REQUEST_HEADROOM, pool.totalMemory()));
        this.ratios = compression == CompressionType.NONE ? null : new CompressionRatioEstimator();
    }

    /**
     * The uncompressed bytes a new batch of {@code tp} may hold: batch.size, or for a compressed batch as
     * many as are expected to compress to batch.size (bounded by max.request.size).
     */
    int bufferSize(TopicPartition tp) {
        if (ratios == null) {
            return batchSize;
        }
        long budget = CompressionRatioEstimator.uncompressedBudget(batchSize, RecordBatchBuilder.BATCH_HEADER_SIZE,
                ratios.estimate(tp.topic()));
        return (int) Math.max(batchSize, Math.min(budget, maxBatchBufferSize));
    }

    /**
     * {@link #bufferSize} rounded up to a whole multiple of batch.size, which the pool recycles; the
     * estimate moves slowly, so the same few sizes recur instead of a fresh heap buffer per batch. The
     * batch still counts as full at {@link #bufferSize}.
     */
    int pooledBufferSize(TopicPartition tp) {
        int size = bufferSize(tp);
        if (size == batchSize) {
            return size;
        }
        long rounded = ((long) size + batchSize - 1) / batchSize * batchSize;
        return pool.isPoolable((int) Math.min(rounded, Integer.MAX_VALUE)) && rounded <= maxBatchBufferSize
                ? (int) rounded : size;
    }

    /** Where a new compressed batch in a buffer of {@code capacity} counts as full; 0 without compression. */
    int fullAt(TopicPartition tp, int capacity) {
        return ratios == null ? 0 : Math.min(capacity, bufferSize(tp));
    }

    /**
     * What an open batch will likely take on the wire once compressed (its uncompressed size without),
     * with the estimator's safety margin. Like kafka-clients, a request may therefore end up slightly
     * above max.request.size when a batch compresses worse than estimated. A single batch's buffer
     * stays {@link #REQUEST_HEADROOM} below it, room for a codec's expansion of data that did not
     * compress at all.
     */
    int estimatedEncodedSize(ProducerBatch batch) {
        int uncompressed = batch.uncompressedSizeInBytes();
        if (ratios == null) {
            return uncompressed;
        }
        float ratio = Math.min(1.0f,
                ratios.estimate(batch.topicPartition().topic()) * CompressionRatioEstimator.SAFETY_MARGIN);
        int header = RecordBatchBuilder.BATCH_HEADER_SIZE;
        return header + (int) Math.min(Integer.MAX_VALUE - header, (long) Math.ceil((uncompressed - header) * ratio));
    }

    /**
     * Teaches the estimator from an encoded batch. Only batches of at least half a batch.size count: a
     * batch drained with a few records (linger 0) compresses worse than a full one for lack of context,
     * and would keep pushing the estimate, and with it the buffer size the pool recycles, up and down.
     * (Not "at least batch.size": a full batch stops short of it by up to one record, so it would never
     * count.)
     */
    void learn(ProducerBatch batch) {
        if (ratios != null && batch.uncompressedSizeInBytes() >= batchSize / 2) {
            ratios.observe(batch.topicPartition().topic(), batch.uncompressedSizeInBytes(),
                    batch.encodedSizeInBytes());
        }
    }

    /** The compression estimator, null without compression. */
    CompressionRatioEstimator ratios() {
        return ratios;
    }
}
