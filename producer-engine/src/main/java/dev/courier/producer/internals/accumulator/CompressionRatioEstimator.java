package dev.courier.producer.internals.accumulator;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Per-topic estimate of compressed size / uncompressed size for the producer's codec, so that a
 * compressed batch can take records until its <em>estimated compressed</em> size reaches batch.size.
 *
 * <p>Conservative by construction: a topic starts at 1.0 (no gain assumed); an observed ratio above the
 * estimate raises it at once (at least by {@link #WORSENING_STEP}), one below lowers it by at most
 * {@link #IMPROVING_STEP}. A batch that compresses worse than expected is therefore corrected after one
 * batch, while a run of well-compressing batches earns a larger buffer only gradually. Batch sizing
 * adds a further {@link #SAFETY_MARGIN}.
 *
 * <p>Threads: {@link #observe} is called by the sender thread when it closes a batch, {@link #estimate}
 * by caller threads opening one. Each topic's value is a single volatile float; a lost update between
 * two observers would only delay the estimate by one batch (there is one sender thread anyway).
 */
public final class CompressionRatioEstimator {

    /** How far one better-compressing batch may lower the estimate. */
    static final float IMPROVING_STEP = 0.005f;
    /** The least one worse-compressing batch raises the estimate by. */
    static final float WORSENING_STEP = 0.05f;
    /** Multiplier applied when sizing a batch from the estimate. */
    static final float SAFETY_MARGIN = 1.05f;
    /** The estimate never goes below this: caps a batch's uncompressed bytes at 1 / 0.05 = 20 x batch.size. */
    static final float MIN_RATIO = 0.05f;

    private final ConcurrentMap<String, Estimate> byTopic = new ConcurrentHashMap<>();

    /** The current estimate for {@code topic}, 1.0 before any batch of it was closed. */
    public float estimate(String topic) {
        Estimate estimate = byTopic.get(topic);
        return estimate == null ? 1.0f : estimate.ratio;
    }

    /** Folds in one closed batch's sizes (both including the batch header). */
    public void observe(String topic, int uncompressedBytes, int compressedBytes) {
        if (uncompressedBytes <= 0 || compressedBytes <= 0) {
            return;
        }
        Estimate estimate = byTopic.get(topic);
        if (estimate == null) {
            estimate = byTopic.computeIfAbsent(topic, t -> new Estimate());
        }
        estimate.ratio = next(estimate.ratio, (float) compressedBytes / uncompressedBytes);
    }

    /** The estimate after one observation: up fast, down slowly. */
    static float next(float current, float observed) {
        float updated;
        if (observed > current) {
            updated = Math.max(current + WORSENING_STEP, observed);
        } else {
            updated = Math.max(current - IMPROVING_STEP, observed);
        }
        return Math.min(1.0f, Math.max(MIN_RATIO, updated));
    }

    /**
     * Uncompressed bytes a batch may hold so that its compressed size is expected to stay within
     * {@code batchSize}: the 61-byte header does not compress, the records section does.
     */
    static long uncompressedBudget(int batchSize, int headerSize, float ratio) {
        int records = Math.max(0, batchSize - headerSize);
        return headerSize + (long) Math.ceil(records / (ratio * SAFETY_MARGIN));
    }

    private static final class Estimate {
        volatile float ratio = 1.0f;
    }
}
