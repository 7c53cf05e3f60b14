package dev.courier.benchmarks.perf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * Both clients' rounds of one cell, reduced to medians and ratios (Courier / kafka-clients). Ratios are
 * of the medians; the throughput ratio's spread is the range of per-round ratios (round i of one
 * client against round i of the other, which ran right next to it).
 */
record CellSummary(Cell cell, List<RoundResult> courier, List<RoundResult> kafka) {

    static CellSummary of(Cell cell, List<RoundResult> rounds) {
        List<RoundResult> courier = new ArrayList<>();
        List<RoundResult> kafka = new ArrayList<>();
        for (RoundResult r : rounds) {
            (r.client() == ClientKind.COURIER ? courier : kafka).add(r);
        }
        return new CellSummary(cell, courier, kafka);
    }

    double median(ClientKind client, ToDoubleFunction<RoundResult> metric) {
        List<RoundResult> rounds = client == ClientKind.COURIER ? courier : kafka;
        double[] values = rounds.stream().mapToDouble(metric).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    double ratio(ToDoubleFunction<RoundResult> metric) {
        return median(ClientKind.COURIER, metric) / median(ClientKind.KAFKA, metric);
    }

    double throughputRatio() {
        return ratio(RoundResult::recordsPerSecond);
    }

    double cpuRatio() {
        return ratio(RoundResult::cpuNanosPerRecord);
    }

    double userCpuRatio() {
        return ratio(RoundResult::userCpuNanosPerRecord);
    }

    double allocationRatio() {
        return ratio(RoundResult::bytesPerRecord);
    }

    double p99Ratio() {
        return ratio(r -> r.latencyMicros(99));
    }

    /** min and max of the per-round throughput ratios. */
    double[] throughputRatioRange() {
        int n = Math.min(courier.size(), kafka.size());
        double[] ratios = new double[n];
        for (int i = 0; i < n; i++) {
            ratios[i] = courier.get(i).recordsPerSecond() / kafka.get(i).recordsPerSecond();
        }
        Arrays.sort(ratios);
        return n == 0 ? new double[] {Double.NaN, Double.NaN} : new double[] {ratios[0], ratios[n - 1]};
    }

    /** All rounds' latencies of one client, merged. */
    Histogram mergedLatency(ClientKind client) {
        Histogram merged = null;
        for (RoundResult r : client == ClientKind.COURIER ? courier : kafka) {
            if (merged == null) {
                merged = r.latency().copy();
            } else {
                merged.add(r.latency());
            }
        }
        return merged;
    }
}
