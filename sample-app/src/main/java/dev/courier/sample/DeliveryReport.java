package dev.courier.sample;

import dev.courier.producer.spring.SendResult;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Counts of one demo run. Sends are counted on the demo's thread, outcomes on the producer's callback
 * thread; every counter is a {@link LongAdder}, so reads from the progress thread never block either. The
 * report is itself the completion action of every send ({@code whenComplete(report)}): one shared object
 * rather than a lambda per event.
 */
final class DeliveryReport implements BiConsumer<SendResult<?, ?>, Throwable> {

    private final LongAdder sent = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Map<Integer, LongAdder> perPartition = new ConcurrentHashMap<>();
    private final long startNs = System.nanoTime();
    private volatile long endNs;
    private final AtomicLong outcomes = new AtomicLong();
    /** Outcomes {@link #awaitOutcomes} waits for (its wait is bounded, so a notify that races it costs 1 s). */
    private volatile long awaited = Long.MAX_VALUE;

    void sent() {
        sent.increment();
    }

    void acknowledged(int partition) {
        acknowledged.increment();
        perPartition.computeIfAbsent(partition, p -> new LongAdder()).increment();
    }

    void failed() {
        failed.increment();
    }

    /** One send's outcome: counts it, and wakes {@link #awaitOutcomes} when it is the last one. */
    @Override
    public void accept(SendResult<?, ?> result, Throwable error) {
        if (error == null) {
            acknowledged(result.recordMetadata().partition());
        } else {
            failed();
        }
        if (outcomes.incrementAndGet() >= awaited) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Blocks until {@code count} outcomes (acknowledged or failed) are known. */
    synchronized void awaitOutcomes(long count) {
        awaited = count;
        boolean interrupted = false;
        while (outcomes.get() < count) {
            try {
                wait(1000);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Marks the moment every outcome was known. */
    void finished() {
        endNs = System.nanoTime();
    }

    long sentCount() {
        return sent.sum();
    }

    long acknowledgedCount() {
        return acknowledged.sum();
    }

    long failedCount() {
        return failed.sum();
    }

    /** Partition -> acknowledged records, in partition order. */
    Map<Integer, Long> perPartition() {
        Map<Integer, Long> counts = new TreeMap<>();
        perPartition.forEach((partition, count) -> counts.put(partition, count.sum()));
        return counts;
    }

    String progressLine() {
        return String.format("sent %,d, acknowledged %,d, failed %,d", sentCount(), acknowledgedCount(), failedCount());
    }

    String summary() {
        long end = endNs != 0 ? endNs : System.nanoTime();
        double seconds = Math.max(1, TimeUnit.NANOSECONDS.toMicros(end - startNs)) / 1e6;
        StringBuilder text = new StringBuilder("Delivery report\n");
        text.append(String.format("  sent          %,d%n", sentCount()));
        text.append(String.format("  acknowledged  %,d%n", acknowledgedCount()));
        text.append(String.format("  failed        %,d%n", failedCount()));
        text.append(String.format("  throughput    %,.0f records/s (%.2f s)%n", acknowledgedCount() / seconds, seconds));
        perPartition().forEach((partition, count) ->
                text.append(String.format("  partition %-3d %,d%n", partition, count)));
        return text.toString().stripTrailing();
    }
}
