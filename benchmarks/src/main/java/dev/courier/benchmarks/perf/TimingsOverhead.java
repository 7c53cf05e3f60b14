package dev.courier.benchmarks.perf;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The perf tool's timings-overhead mode ({@code --mode=timings-overhead}): what {@code delivery.timings.enable}
 * costs. Courier with timings on beside Courier with them off ({@link TimingsSession}: the same callback, reading
 * {@code metadata.timings()}, in both), in alternating rounds (the order flips every round) in each throughput
 * cell of the matrix ({@code --cells}, {@code --quick}, {@code --scale}, {@code --rounds}, {@code --broker} apply),
 * after one unrecorded warm-up round each. Prints and writes ({@code results.md}) the on / off ratios of
 * throughput, CPU and allocation per record. The goal (issue 15): under 2% when on; off is the engine's default,
 * so "none when off" is the perf tool's ordinary comparison.
 */
final class TimingsOverhead {

    /** One round of one setting. */
    record Round(boolean timings, int round, double recordsPerSecond, double cpuNanosPerRecord,
                 double bytesPerRecord, double p99Micros) {
    }

    /** One cell's rounds, and the on / off ratios of their medians. */
    record CellResult(Cell cell, List<Round> rounds) {

        double median(boolean timings, java.util.function.ToDoubleFunction<Round> metric) {
            return TemplateOverhead.median(rounds.stream().filter(r -> r.timings() == timings).toList(), metric);
        }

        double ratio(java.util.function.ToDoubleFunction<Round> metric) {
            return median(true, metric) / median(false, metric);
        }

        /** Each round's on / off throughput, pairing the rounds of the same number. */
        String perRoundThroughputRatios() {
            List<Round> on = rounds.stream().filter(Round::timings).toList();
            List<Round> off = rounds.stream().filter(r -> !r.timings()).toList();
            StringBuilder ratios = new StringBuilder();
            for (int i = 0; i < Math.min(on.size(), off.size()); i++) {
                ratios.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f",
                        on.get(i).recordsPerSecond() / off.get(i).recordsPerSecond()));
            }
            return ratios.toString();
        }
    }

    private final PerfOptions options;
    private final PrintStream out;
    private int sequence;

    TimingsOverhead(PerfOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    void run() throws Exception {
        long began = System.nanoTime();
        List<Cell> cells = options.matrix().stream().filter(cell -> !cell.fixedRate()).toList();
        if (cells.isEmpty()) {
            throw new IllegalArgumentException("no throughput cell matches " + options.cells());
        }
        out.printf("Courier, delivery.timings.enable on vs off: %d cells x %d rounds x 2, broker: %s%n", cells.size(),
                options.rounds(), options.broker());
        List<CellResult> results = new ArrayList<>();
        try (BenchBroker broker = BenchBroker.open(options)) {
            for (Cell cell : cells) {
                for (boolean timings : new boolean[] {false, true}) {
                    Round warm = run(broker, cell, timings, 0);
                    out.printf(Locale.ROOT, "warm-up %-12s %,10.0f records/s%n", name(timings),
                            warm.recordsPerSecond());
                }
                List<Round> rounds = new ArrayList<>();
                for (int round = 1; round <= options.rounds(); round++) {
                    boolean onFirst = round % 2 == 0;
                    for (boolean timings : new boolean[] {onFirst, !onFirst}) {
                        Round r = run(broker, cell, timings, round);
                        rounds.add(r);
                        out.printf(Locale.ROOT, "%-40s round %d %-12s %,10.0f rec/s  CPU %6.3f µs/rec  "
                                        + "alloc %6.1f B/rec  p99 %7.2f ms%n", cell.label(), round, name(timings),
                                r.recordsPerSecond(), r.cpuNanosPerRecord() / 1000, r.bytesPerRecord(),
                                r.p99Micros() / 1000);
                    }
                }
                CellResult result = new CellResult(cell, rounds);
                results.add(result);
                out.printf(Locale.ROOT, "  => %s: throughput %.3f, CPU/record %.3f, alloc/record %.3f "
                                + "(timings on / off)%n", cell.label(), result.ratio(Round::recordsPerSecond),
                        result.ratio(Round::cpuNanosPerRecord), result.ratio(Round::bytesPerRecord));
            }
            double elapsed = (System.nanoTime() - began) / 1e9;
            Files.createDirectories(options.out());
            Files.writeString(options.out().resolve("results.md"), markdown(results, broker.description(), elapsed));
            out.printf(Locale.ROOT, "Done in %.0f s; results in %s%n", elapsed, options.out().toAbsolutePath());
        }
    }

    private static String name(boolean timings) {
        return timings ? "timings on" : "timings off";
    }

    /**
     * One round of one setting on a fresh topic.
     *
     * @throws IllegalStateException when the callback did not see timings on every record (on) or saw some (off)
     */
    private Round run(BenchBroker broker, Cell cell, boolean timings, int round)
            throws InterruptedException, IOException {
        String clientId = "bench-timings-" + (timings ? "on-" : "off-") + (++sequence);
        String topic = "bench-timings-" + sequence;
        broker.createTopic(topic, options.partitions());
        Map<String, Object> settings = new LinkedHashMap<>(cell.producerSettings());
        settings.putAll(broker.clientConnectionSettings());
        try (TimingsSession session = new TimingsSession(timings, broker.bootstrapServers(), settings, clientId)) {
            MeasuredRound measured = MeasuredRound.run(session, cell, topic, name(timings));
            long expected = timings ? measured.records() : 0;
            if (session.recordsWithTimings() != expected) {
                throw new IllegalStateException(name(timings) + ": " + session.recordsWithTimings()
                        + " records carried timings, expected " + expected);
            }
            return new Round(timings, round, measured.records() / measured.seconds(),
                    measured.perRecord(measured.cpuNanos()), measured.perRecord(measured.allocatedBytes()),
                    measured.latencyMicros().getValueAtPercentile(99));
        } finally {
            broker.deleteTopic(topic);
        }
    }

    String markdown(List<CellResult> results, String brokerDescription, double elapsed) {
        StringBuilder md = new StringBuilder("# Courier: the cost of delivery.timings.enable\n\n");
        md.append(Report.Machine.runSection(options, brokerDescription, elapsed));
        md.append("Courier with `delivery.timings.enable=true` against `false` (the default), the same callback in "
                + "both reading `metadata.timings()`, ").append(options.rounds()).append(" alternating rounds per "
                + "setting and cell (the order flips every round) after one warm-up round each. Medians; CPU and "
                + "allocation summed over the caller and the producer's own threads. Ratios are on / off: "
                + "throughput near 1.00 and CPU/allocation near 1.00 mean no measurable cost; the goal is within "
                + "2%.\n\n");
        md.append("| Cell | off records/s | on records/s | throughput on/off | off CPU µs/rec | on CPU µs/rec | "
                + "CPU on/off | off B/rec | on B/rec | alloc on/off | per-round throughput on/off |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (CellResult r : results) {
            md.append(String.format(Locale.ROOT,
                    "| %s | %,.0f | %,.0f | %.3f | %.3f | %.3f | %.3f | %.1f | %.1f | %.3f | %s |%n",
                    r.cell().label(), r.median(false, Round::recordsPerSecond),
                    r.median(true, Round::recordsPerSecond), r.ratio(Round::recordsPerSecond),
                    r.median(false, Round::cpuNanosPerRecord) / 1000, r.median(true, Round::cpuNanosPerRecord) / 1000,
                    r.ratio(Round::cpuNanosPerRecord), r.median(false, Round::bytesPerRecord),
                    r.median(true, Round::bytesPerRecord), r.ratio(Round::bytesPerRecord),
                    r.perRoundThroughputRatios()));
        }
        md.append("\nNoise: a shared machine with the broker in the same JVM; single rounds swing by more than the "
                + "2% looked for, so read the medians over many rounds (--rounds=9 or more) and CPU per record, "
                + "which is steadier than throughput.\n");
        return md.toString();
    }
}
