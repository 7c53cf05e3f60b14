package dev.courier.benchmarks.perf;

import org.HdrHistogram.Histogram;

/**
 * What one client did in one round of one cell. Latencies in microseconds; CPU and allocation per
 * record summed over the caller and the producer's own threads.
 */
public record RoundResult(Cell cell, ClientKind client, int round, int records, double seconds,
                          double cpuNanosPerRecord, double userCpuNanosPerRecord, double bytesPerRecord, long gcCount, Histogram latency) {

    public double recordsPerSecond() {
        return records / seconds;
    }

    public double megabytesPerSecond() {
        return recordsPerSecond() * cell.recordSize() / (1024.0 * 1024.0);
    }

    public double latencyMicros(double percentile) {
        return latency.getValueAtPercentile(percentile);
    }
}
