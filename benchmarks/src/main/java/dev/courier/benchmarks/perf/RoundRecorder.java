package dev.courier.benchmarks.perf;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Send times and completions of one round. The caller thread writes {@code startNanos[i]} before
 * sending record i; the client's completion thread records the latency. Each client completes records
 * on a single thread (Courier's callback thread, kafka-clients' network thread), so the histogram has
 * one writer; the latch publishes it to the reader.
 */
final class RoundRecorder {

    private static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(5);

    final long[] startNanos;
    private final Histogram latencyMicros = new Histogram(MAX_LATENCY_MICROS, 3);
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicReference<Exception> firstError = new AtomicReference<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private final int records;
    private volatile long lastCompletionNanos;

    RoundRecorder(int records) {
        this.records = records;
        this.startNanos = new long[records];
    }

    void completed(int index, Exception exception) {
        long now = System.nanoTime();
        if (exception != null) {
            firstError.compareAndSet(null, exception);
        } else {
            long micros = Math.max(0, (now - startNanos[index]) / 1000);
            latencyMicros.recordValue(Math.min(micros, MAX_LATENCY_MICROS));
        }
        if (completed.incrementAndGet() == records) {
            lastCompletionNanos = now;
            done.countDown();
        }
    }

    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    int completedCount() {
        return completed.get();
    }

    long lastCompletionNanos() {
        return lastCompletionNanos;
    }

    Exception firstError() {
        return firstError.get();
    }

    Histogram histogram() {
        return latencyMicros;
    }
}
