package dev.courier.producer.internals.metrics;

/**
 * Count, sum and max over the last one to two windows (Kafka samples its rates and averages the same
 * way: two samples of 30 s by default), so a spike a minute ago no longer shows as the max.
 *
 * <p>Thread-safe by its monitor; records are cheap and rare compared with the work they describe
 * (one per request or batch, not per record).
 */
final class WindowedStat {

    private final long windowMs;

    // guarded by this
    private long currentStartMs;
    private long currentCount;
    private double currentSum;
    private double currentMax = Double.NaN;
    private long previousCount;
    private double previousSum;
    private double previousMax = Double.NaN;

    WindowedStat(long windowMs, long nowMs) {
        this.windowMs = windowMs;
        this.currentStartMs = nowMs;
    }

    synchronized void record(double value, long nowMs) {
        roll(nowMs);
        currentCount++;
        currentSum += value;
        currentMax = Double.isNaN(currentMax) ? value : Math.max(currentMax, value);
    }

    private void roll(long nowMs) {
        if (nowMs - currentStartMs < windowMs) {
            return;
        }
        boolean skippedWhole = nowMs - currentStartMs >= 2 * windowMs;
        previousCount = skippedWhole ? 0 : currentCount;
        previousSum = skippedWhole ? 0 : currentSum;
        previousMax = skippedWhole ? Double.NaN : currentMax;
        currentCount = 0;
        currentSum = 0;
        currentMax = Double.NaN;
        currentStartMs = nowMs - ((nowMs - currentStartMs) % windowMs);
    }

    synchronized double average(long nowMs) {
        roll(nowMs);
        long count = currentCount + previousCount;
        return count == 0 ? Double.NaN : (currentSum + previousSum) / count;
    }

    synchronized double max(long nowMs) {
        roll(nowMs);
        if (Double.isNaN(currentMax)) {
            return previousMax;
        }
        return Double.isNaN(previousMax) ? currentMax : Math.max(currentMax, previousMax);
    }

    /** Sum per second over the time the samples cover. */
    synchronized double ratePerSecond(long nowMs) {
        roll(nowMs);
        double elapsedMs = Math.max(1, nowMs - currentStartMs + (previousCount > 0 ? windowMs : 0));
        return (currentSum + previousSum) * 1000.0 / Math.max(elapsedMs, 1000);
    }
}
