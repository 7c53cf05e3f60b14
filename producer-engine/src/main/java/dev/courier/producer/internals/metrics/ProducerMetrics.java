package dev.courier.producer.internals.metrics;

import dev.courier.producer.Metric;
import dev.courier.producer.internals.util.Time;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * The producer's measurements, named after Kafka's producer metrics where one exists.
 *
 * <p>Written by the sender thread (requests, batches), the completion thread (record outcomes) and
 * callers (records accepted); read by anyone through {@link #asMap()}. Counters are {@link LongAdder}s;
 * windowed averages and maxima guard themselves.
 */
public final class ProducerMetrics {

    private static final long WINDOW_MS = 30_000;

    private final Time time;
    private final DeliveryCounts counts;
    private final LongAdder recordsRetried = new LongAdder();
    private final LongAdder batchesSplit = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder requestsSent = new LongAdder();
    private final LongAdder batchesSent = new LongAdder();
    private final LongAdder recordsInRequests = new LongAdder();
    private final WindowedStat recordSends;
    private final WindowedStat recordErrors;
    private final WindowedStat batchSize;
    private final WindowedStat compressionRatio;
    private final WindowedStat recordsPerRequest;
    private final WindowedStat requestLatency;
    private final WindowedStat outgoingBytes;
    private final Map<String, Metric> metrics = new LinkedHashMap<>();

    /**
     * @param counts            records by outcome, counted by the outcome path; the totals read them
     * @param inFlightRequests  live count of requests awaiting a response
     * @param bufferAvailable   live count of free bytes of {@code buffer.memory}
     * @param bufferTotal       {@code buffer.memory}
     * @param waitingThreads    live count of callers blocked for memory
     */
    public ProducerMetrics(Time time, DeliveryCounts counts, DoubleSupplier inFlightRequests, DoubleSupplier bufferAvailable,
                           DoubleSupplier bufferTotal, DoubleSupplier waitingThreads) {
        this.time = time;
        this.counts = counts;
        long now = time.monotonicMs();
        recordSends = new WindowedStat(WINDOW_MS, now);
        recordErrors = new WindowedStat(WINDOW_MS, now);
        batchSize = new WindowedStat(WINDOW_MS, now);
        compressionRatio = new WindowedStat(WINDOW_MS, now);
        recordsPerRequest = new WindowedStat(WINDOW_MS, now);
        requestLatency = new WindowedStat(WINDOW_MS, now);
        outgoingBytes = new WindowedStat(WINDOW_MS, now);

        gauge("record-send-total", Metric.Kind.COUNTER, "Records acknowledged by the broker.", counts::acknowledged);
        gauge("record-send-rate", "Records acknowledged per second.", () -> recordSends.ratePerSecond(now()));
        gauge("record-error-total", Metric.Kind.COUNTER,
                "Records that failed, including those refused by send and those a forced close aborted.",
                counts::notDelivered);
        gauge("record-error-rate", "Records failed per second.", () -> recordErrors.ratePerSecond(now()));
        counter("record-retry-total", "Batches sent again after a retriable error.", recordsRetried);
        counter("batch-split-total", "Batches split into smaller ones after the broker refused them as too large.",
                batchesSplit);
        counter("outgoing-byte-total", "Bytes of record batches sent.", bytesSent);
        gauge("outgoing-byte-rate", "Bytes of record batches sent per second.", () -> outgoingBytes.ratePerSecond(now()));
        counter("request-total", "Produce requests sent.", requestsSent);
        counter("batch-total", "Record batches sent.", batchesSent);
        gauge("batch-size-avg", "Average bytes per batch sent.", () -> batchSize.average(now()));
        gauge("batch-size-max", "Largest batch sent, in bytes.", () -> batchSize.max(now()));
        gauge("records-per-request-avg", "Average records per produce request.", () -> recordsPerRequest.average(now()));
        gauge("compression-rate-avg", "Average compressed size / uncompressed size of batches.",
                () -> compressionRatio.average(now()));
        gauge("request-latency-avg", "Average produce request latency in ms.", () -> requestLatency.average(now()));
        gauge("request-latency-max", "Largest produce request latency in ms.", () -> requestLatency.max(now()));
        gauge("requests-in-flight", "Requests sent and not yet answered.", inFlightRequests);
        gauge("buffer-available-bytes", "Free bytes of buffer.memory.", bufferAvailable);
        gauge("buffer-total-bytes", "buffer.memory.", bufferTotal);
        gauge("waiting-threads", "Callers blocked waiting for buffer memory.", waitingThreads);
    }

    private long now() {
        return time.monotonicMs();
    }

    private void counter(String name, String description, LongAdder adder) {
        metrics.put(name, new SimpleMetric(name, description, Metric.Kind.COUNTER, adder::doubleValue));
    }

    private void gauge(String name, String description, DoubleSupplier supplier) {
        gauge(name, Metric.Kind.GAUGE, description, supplier);
    }

    private void gauge(String name, Metric.Kind kind, String description, DoubleSupplier supplier) {
        metrics.put(name, new SimpleMetric(name, description, kind, supplier));
    }

    /** Every metric by name, in a stable order. */
    public Map<String, Metric> asMap() {
        return Collections.unmodifiableMap(metrics);
    }

    public void recordRequestSent(int batches, int records, long bytes) {
        long now = now();
        requestsSent.increment();
        batchesSent.add(batches);
        recordsInRequests.add(records);
        bytesSent.add(bytes);
        outgoingBytes.record(bytes, now);
        recordsPerRequest.record(records, now);
    }

    public void recordBatchEncoded(int encodedBytes, int uncompressedBytes) {
        long now = now();
        batchSize.record(encodedBytes, now);
        compressionRatio.record(uncompressedBytes == 0 ? 1.0 : (double) encodedBytes / uncompressedBytes, now);
    }

    public void recordLatency(long latencyMs) {
        requestLatency.record(latencyMs, now());
    }

    public void recordRetry() {
        recordsRetried.increment();
    }

    public void recordSplit() {
        batchesSplit.increment();
    }

    /** Feeds the send rate; the total is {@link DeliveryCounts}'. */
    public void recordAcknowledged(int records) {
        recordSends.record(records, now());
    }

    /** Feeds the error rate; the total is {@link DeliveryCounts}'. */
    public void recordFailed(int records) {
        recordErrors.record(records, now());
    }

    private record SimpleMetric(String name, String description, Kind kind, DoubleSupplier supplier)
            implements Metric {
        @Override
        public double value() {
            return supplier.getAsDouble();
        }
    }
}
