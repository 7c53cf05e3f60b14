package dev.courier.producer.internals.util;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Backoff that doubles with each failed attempt up to a cap, with random jitter so that many
 * clients do not retry in lock step: attempt 0 waits about {@code initialMs}, attempt n about
 * {@code min(initialMs * 2^n, maxMs)}, each scaled by a random factor in [1 - jitter, 1 + jitter].
 * Immutable and thread-safe.
 */
public final class ExponentialBackoff {

    private final long initialMs;
    private final long maxMs;
    private final double jitter;

    public ExponentialBackoff(long initialMs, long maxMs, double jitter) {
        if (initialMs < 0 || jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("initial " + initialMs + ", jitter " + jitter);
        }
        this.initialMs = initialMs;
        this.maxMs = Math.max(initialMs, maxMs);
        this.jitter = jitter;
    }

    /** The usual Kafka client shape: doubling, 20 % jitter. */
    public static ExponentialBackoff of(long initialMs, long maxMs) {
        return new ExponentialBackoff(initialMs, maxMs, 0.2);
    }

    /** Backoff after {@code attempts} consecutive failures (0 = first retry). */
    public long backoffMs(long attempts) {
        if (initialMs == 0) {
            return 0;
        }
        double term = initialMs;
        for (long i = 0; i < attempts && term < maxMs; i++) {
            term *= 2;
        }
        term = Math.min(term, maxMs);
        if (jitter > 0) {
            term *= ThreadLocalRandom.current().nextDouble(1 - jitter, 1 + jitter);
        }
        return (long) term;
    }

    public long initialMs() {
        return initialMs;
    }

    public long maxMs() {
        return maxMs;
    }
}
