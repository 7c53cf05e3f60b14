package dev.courier.benchmarks.perf;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Courier against kafka-clients, side by side, in the spirit of {@code kafka-producer-perf-test}: the
 * same settings, the same broker, the same records, in alternating rounds so that machine drift hits
 * both. Prints progress per round, then writes {@code results.md}, {@code rounds.csv} and SVG charts
 * (see {@link Report}). Options: {@link PerfOptions}.
 *
 * <p>This is a command-line program: its progress and summary go to standard output by design.
 */
public final class PerfTool {

    private final PerfOptions options;
    private final PrintStream out;

    PerfTool(PerfOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        // The engine's test-jar brings a logback-test.xml (INFO); the tool wants warnings only.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "courier-bench-logback.xml");
        }
        PerfOptions options = PerfOptions.parse(args);
        new PerfTool(options, System.out).run();
        System.exit(0);
    }

    void run() throws Exception {
        if (options.transactionsMode()) {
            new TransactionPerf(options, out).run();
            return;
        }
        if (options.mode().equals(PerfOptions.TIMINGS_OVERHEAD)) {
            new TimingsOverhead(options, out).run();
            return;
        }
        long began = System.nanoTime();
        List<Cell> matrix = options.matrix();
        if (matrix.isEmpty()) {
            throw new IllegalArgumentException("no cell matches " + options.cells());
        }
        out.printf("Courier %s vs kafka-clients %s: %d cells x %d rounds x 2 clients, broker: %s%n",
                Report.Machine.courierVersion(), Report.Machine.rivalVersion(), matrix.size(), options.rounds(),
                options.broker());
        try (BenchBroker broker = BenchBroker.open(options)) {
            RoundRunner runner = new RoundRunner(broker.bootstrapServers(), broker.clientConnectionSettings());
            List<CellSummary> summaries = new ArrayList<>();
            int topicSequence = 0;
            int cellNumber = 0;
            for (Cell cell : matrix) {
                cellNumber++;
                warmUp(broker, runner, cell);
                List<RoundResult> rounds = new ArrayList<>();
                for (int round = 1; round <= options.rounds(); round++) {
                    // Alternate who goes first, so that neither always runs on a warmer (or busier) machine.
                    ClientKind[] order = round % 2 == 1
                            ? new ClientKind[] {ClientKind.KAFKA, ClientKind.COURIER}
                            : new ClientKind[] {ClientKind.COURIER, ClientKind.KAFKA};
                    for (ClientKind kind : order) {
                        if (options.only() != null && kind != options.only()) {
                            continue;
                        }
                        String topic = "bench-" + (++topicSequence) + "-" + kind.name().toLowerCase(Locale.ROOT);
                        broker.createTopic(topic, options.partitions());
                        RoundResult result = runner.run(cell, kind, round, topic);
                        broker.deleteTopic(topic);
                        rounds.add(result);
                        progress(cellNumber, matrix.size(), result);
                    }
                }
                CellSummary summary = CellSummary.of(cell, rounds);
                summaries.add(summary);
                out.printf(Locale.ROOT, "  => %s: throughput %.2f, CPU %.2f, alloc %.2f, p99 %.2f (Courier / kafka-clients)%n",
                        cell.label(), summary.throughputRatio(), summary.cpuRatio(), summary.allocationRatio(),
                        summary.p99Ratio());
            }
            double elapsed = (System.nanoTime() - began) / 1e9;
            Report report = new Report(options, broker.description(), summaries, elapsed);
            report.write();
            out.printf(Locale.ROOT, "Done in %.0f s; results in %s%n", elapsed, options.out().toAbsolutePath());
        }
    }

    /**
     * {@code --warmups} unrecorded rounds per client before each cell, so that neither's measured rounds pay for
     * compiling the code paths this cell is the first to use (compression, idempotence, a record size).
     *
     * <p>Why more than one: every round starts a new producer on a new topic, and the first records of a topic
     * take branches the JIT had compiled as never taken (first sight of a topic or partition). Each such branch
     * throws the hot method back to the interpreter until it is recompiled, and on two busy cores that costs a
     * short round a large part of its time. JFR showed Courier's hot methods deoptimized at the start of the
     * first two measured rounds, and its CPU per record falling from 0.77 to 0.35 µs over four rounds of one
     * cell; kafka-clients' rounds rose the same way. A long-lived producer pays this once per topic.
     */
    private void warmUp(BenchBroker broker, RoundRunner runner, Cell cell) throws InterruptedException {
        for (int warmUp = 1; warmUp <= options.warmups(); warmUp++) {
            for (ClientKind kind : ClientKind.values()) {
                if (options.only() != null && kind != options.only()) {
                    continue;
                }
                String topic = "bench-warmup-" + warmUp + "-" + kind.name().toLowerCase(Locale.ROOT);
                broker.createTopic(topic, options.partitions());
                RoundResult warm = runner.run(cell.forWarmUp(), kind, 0, topic);
                broker.deleteTopic(topic);
                out.printf(Locale.ROOT, "warm-up %d %-13s %,10.0f records/s%n", warmUp, kind.displayName(),
                        warm.recordsPerSecond());
            }
        }
    }

    private void progress(int cellNumber, int cells, RoundResult r) {
        out.printf(Locale.ROOT,
                "[%2d/%d] %-44s round %d %-13s %,10.0f rec/s %7.1f MB/s  p50 %7.2f p99 %7.2f ms  CPU %6.2f µs/rec  "
                        + "alloc %6.0f B/rec  GC %d%n",
                cellNumber, cells, r.cell().label(), r.round(), r.client().displayName(), r.recordsPerSecond(),
                r.megabytesPerSecond(), r.latencyMicros(50) / 1000, r.latencyMicros(99) / 1000,
                r.cpuNanosPerRecord() / 1000, r.bytesPerRecord(), r.gcCount());
    }
}
