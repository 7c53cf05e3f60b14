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
 * The perf tool's transactions mode ({@code --mode=transactions}): transactions of 1,000 x 100 B records,
 * Courier against kafka-clients with the same settings (idempotent, acks=all, the same
 * {@code transaction.timeout.ms}), in alternating rounds after one unrecorded warm-up round each. Reports
 * transactions/s, records/s, CPU per record and the Courier / kafka-clients ratios, and writes
 * {@code results.md} and {@code rounds.csv}.
 *
 * <p>Runs against a real broker only (the in-process one by default, or an external cluster): the stand-in
 * does not speak the transaction APIs, and a transaction's cost is mostly the coordinator's round trips and
 * the commit markers, which only a real broker measures honestly.
 */
final class TransactionPerf {

    static final int RECORDS_PER_TRANSACTION = 1_000;
    static final int RECORD_SIZE = 100;
    static final int TRANSACTION_TIMEOUT_MS = 60_000;
    /** Transactions per round at --scale=1 (--quick: a quarter). */
    static final int TRANSACTIONS_PER_ROUND = 200;

    private final PerfOptions options;
    private final PrintStream out;

    TransactionPerf(PerfOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** The one cell of the mode: Kafka's producer defaults for linger and batch size, written out for both. */
    static Cell cell(int transactions) {
        return new Cell("transactions", RECORD_SIZE, "all", 5, 16_384, "none", true, 0,
                transactions * RECORDS_PER_TRANSACTION);
    }

    int transactionsPerRound() {
        return Math.max(5, (int) Math.round(TRANSACTIONS_PER_ROUND * options.scale()));
    }

    void run() throws Exception {
        long began = System.nanoTime();
        int transactions = transactionsPerRound();
        Cell cell = cell(transactions);
        out.printf("Courier vs kafka-clients, transactions of %d x %d B: %d transactions x %d rounds x 2 clients, "
                + "broker: %s%n", RECORDS_PER_TRANSACTION, RECORD_SIZE, transactions, options.rounds(), options.broker());
        try (BenchBroker broker = options.broker().equals("external")
                ? BenchBroker.external(options.bootstrapServers()) : BenchBroker.embedded()) {
            TransactionRoundRunner runner = new TransactionRoundRunner(broker, options.partitions());
            for (ClientKind kind : clients(0)) {
                RoundResult warm = runner.run(cell, kind, 0, transactions);
                out.printf(Locale.ROOT, "warm-up %-13s %,8.1f transactions/s%n", kind.displayName(),
                        warm.recordsPerSecond() / RECORDS_PER_TRANSACTION);
            }
            List<RoundResult> rounds = new ArrayList<>();
            for (int round = 1; round <= options.rounds(); round++) {
                for (ClientKind kind : clients(round)) {
                    RoundResult r = runner.run(cell, kind, round, transactions);
                    rounds.add(r);
                    out.printf(Locale.ROOT, "round %d %-13s %,8.1f transactions/s %,10.0f records/s  "
                                    + "p50 %7.2f p99 %7.2f ms/transaction  CPU %6.2f µs/rec  alloc %6.0f B/rec%n",
                            round, kind.displayName(), r.recordsPerSecond() / RECORDS_PER_TRANSACTION,
                            r.recordsPerSecond(), r.latencyMicros(50) / 1000, r.latencyMicros(99) / 1000,
                            r.cpuNanosPerRecord() / 1000, r.bytesPerRecord());
                }
            }
            CellSummary summary = CellSummary.of(cell, rounds);
            double elapsed = (System.nanoTime() - began) / 1e9;
            out.printf(Locale.ROOT, "  => transactions: throughput %.2f, CPU %.2f, alloc %.2f, p99 %.2f "
                            + "(Courier / kafka-clients)%n", summary.throughputRatio(), summary.cpuRatio(),
                    summary.allocationRatio(), summary.p99Ratio());
            write(summary, broker.description(), elapsed);
            out.printf(Locale.ROOT, "Done in %.0f s; results in %s%n", elapsed, options.out().toAbsolutePath());
        }
    }

    /** Both clients, the order flipping every round (as in the other cells), or the one of --only. */
    private List<ClientKind> clients(int round) {
        List<ClientKind> order = round % 2 == 1 ? List.of(ClientKind.KAFKA, ClientKind.COURIER)
                : List.of(ClientKind.COURIER, ClientKind.KAFKA);
        return options.only() == null ? order : List.of(options.only());
    }

    private void write(CellSummary summary, String brokerDescription, double elapsed) throws IOException {
        Files.createDirectories(options.out());
        Files.writeString(options.out().resolve("results.md"), markdown(summary, brokerDescription, elapsed));
        Files.writeString(options.out().resolve("rounds.csv"),
                new Report(options, brokerDescription, List.of(summary), elapsed).csv());
    }

    String markdown(CellSummary summary, String brokerDescription, double elapsed) {
        Cell cell = summary.cell();
        StringBuilder md = new StringBuilder();
        md.append("# Courier / kafka-clients, transactions of ").append(RECORDS_PER_TRANSACTION).append(" x ")
                .append(RECORD_SIZE).append(" B\n\n");
        md.append(Report.Machine.runSection(options, brokerDescription, elapsed));
        md.append("## Settings\n\n");
        md.append("Both clients: `").append(cell.producerSettings()).append("`, `transaction.timeout.ms=")
                .append(TRANSACTION_TIMEOUT_MS).append("`, a transactional id of their own per round, byte-array "
                        + "serializers, keyless records (sticky partitioning) to a fresh topic of ")
                .append(options.partitions()).append(" partitions. Each round: ")
                .append(cell.records() / RECORDS_PER_TRANSACTION).append(" transactions back to back (begin, ")
                .append(RECORDS_PER_TRANSACTION).append(" sends, commit); initTransactions() and metadata are done "
                        + "before the measured window. ").append(options.rounds())
                .append(" alternating rounds per client (the order flips every round) after one unrecorded warm-up "
                        + "round each. CPU and allocation are summed over the caller and the producer's own threads. "
                        + "Latency is per transaction (begin to commit returned).\n\n");
        md.append("## Results (medians)\n\n");
        md.append("| Client | transactions/s | records/s | CPU µs/record | bytes/record | p50 ms/txn | p99 ms/txn |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (ClientKind kind : ClientKind.values()) {
            double recordsPerSecond = summary.median(kind, RoundResult::recordsPerSecond);
            md.append(String.format(Locale.ROOT, "| %s | %,.1f | %,.0f | %.2f | %.0f | %.2f | %.2f |%n",
                    kind.displayName(), recordsPerSecond / RECORDS_PER_TRANSACTION, recordsPerSecond,
                    summary.median(kind, RoundResult::cpuNanosPerRecord) / 1000,
                    summary.median(kind, RoundResult::bytesPerRecord), summary.median(kind, r -> r.latencyMicros(50))
                            / 1000, summary.median(kind, r -> r.latencyMicros(99)) / 1000));
        }
        double[] range = summary.throughputRatioRange();
        md.append(String.format(Locale.ROOT, "%nCourier / kafka-clients: throughput **%.2f** (per round %.2f to "
                        + "%.2f), CPU per record %.2f, allocation per record %.2f, p99 per transaction %.2f.%n",
                summary.throughputRatio(), range[0], range[1], summary.cpuRatio(), summary.allocationRatio(),
                summary.p99Ratio()));
        md.append("\nNoise: a shared 2-core machine with the broker in the same JVM; read the medians and the "
                + "per-round range, not single rounds.\n");
        return md.toString();
    }

    /** Opens a session per round on a fresh topic, runs it, deletes the topic. */
    private static final class TransactionRoundRunner {
        private final BenchBroker broker;
        private final int partitions;
        private int sequence;

        TransactionRoundRunner(BenchBroker broker, int partitions) {
            this.broker = broker;
            this.partitions = partitions;
        }

        RoundResult run(Cell cell, ClientKind kind, int round, int transactions) throws InterruptedException {
            String clientId = "bench-txn-" + kind.name().toLowerCase(Locale.ROOT) + "-" + (++sequence);
            String topic = "bench-txn-" + sequence;
            broker.createTopic(topic, partitions);
            Map<String, Object> settings = new LinkedHashMap<>(cell.producerSettings());
            settings.putAll(broker.clientConnectionSettings());
            try (TransactionSession session = TransactionSession.open(kind, broker.bootstrapServers(), settings,
                    clientId, TRANSACTION_TIMEOUT_MS)) {
                return TransactionRound.run(session, cell, kind, round, topic, transactions);
            } finally {
                broker.deleteTopic(topic);
            }
        }
    }
}
