package dev.courier.benchmarks.perf;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Writes the results: results.md (machine, caveat, tables), rounds.csv (every round), and the charts. */
final class Report {

    private final PerfOptions options;
    private final String brokerDescription;
    private final List<CellSummary> summaries;
    private final double elapsedSeconds;

    Report(PerfOptions options, String brokerDescription, List<CellSummary> summaries, double elapsedSeconds) {
        this.options = options;
        this.brokerDescription = brokerDescription;
        this.summaries = summaries;
        this.elapsedSeconds = elapsedSeconds;
    }

    void write() throws IOException {
        Files.createDirectories(options.out());
        Files.writeString(options.out().resolve("results.md"), markdown());
        Files.writeString(options.out().resolve("rounds.csv"), csv());
        Files.writeString(options.out().resolve("ratios.svg"), SvgCharts.ratios(summaries, title()));
        CellSummary[] fixedRate = summaries.stream().filter(s -> s.cell().fixedRate()).toArray(CellSummary[]::new);
        if (fixedRate.length > 0) {
            Files.writeString(options.out().resolve("latency.svg"), SvgCharts.latency(List.of(fixedRate)));
        }
    }

    private String title() {
        return "Courier / kafka-clients, " + options.broker() + " broker";
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title()).append("\n\n");
        md.append("Run ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .append(String.format(Locale.ROOT, " in %.0f s", elapsedSeconds)).append(" with `")
                .append(commandLine()).append("`.\n\n");
        md.append("## Machine\n\n").append(Machine.describe()).append("\n");
        md.append("- Broker: ").append(brokerDescription).append("\n");
        md.append("- Clients: Courier ").append(Machine.courierVersion()).append(", kafka-clients ")
                .append(Machine.rivalVersion()).append("\n\n");
        md.append("## How to read this\n\n");
        md.append("Ratios are Courier / kafka-clients of the medians over ").append(options.rounds())
                .append(" alternating rounds per client and cell (the order flips every round, and ")
                .append(options.warmups()).append(" unrecorded warm-up round(s) per client precede each cell, each on a "
                        + "new producer and topic like the measured ones; one second's worth at a fixed rate). "
                        + "Throughput: higher is better. CPU, "
                        + "allocation and latency: lower is better. CPU time and bytes allocated are summed over the "
                        + "caller thread and the producer's own threads (Courier: network + callbacks; kafka-clients: "
                        + "network), measured with ThreadMXBean, from the first send to the last acknowledgement; "
                        + "user CPU is its user-mode part (the rest is kernel time, which on loopback also carries the "
                        + "receiving side's TCP work and is much the same for both clients sending the same bytes). "
                        + "In fixed-rate runs the caller thread counts only its CPU inside `send` (counted as user time): "
                        + "the timed park that paces it between sends is the benchmark's cost, not the client's. "
                        + "Latency is from `send` to the callback (fixed-rate runs: from the intended send time). GC "
                        + "counts are JVM-wide and include the broker's. Identical settings for both clients in every "
                        + "cell, `enable.idempotence` always set explicitly; records are 1024 distinct JSON-like values "
                        + "without keys, one topic of ").append(options.partitions()).append(" partitions.\n\n");
        md.append("**Noise caveat:** the machine has ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores shared by the broker, both clients and whatever else runs on it"
                        + ". Single rounds swing widely; read ratios within about ±15% as a tie. "
                        + "The range column shows the spread of per-round throughput ratios.\n\n");
        md.append("## Ratios (Courier / kafka-clients)\n\n");
        md.append("| Cell | Throughput (range) | CPU/record | user CPU/record | Alloc/record | p99 latency |\n"
                + "|---|---|---|---|---|---|\n");
        for (CellSummary s : summaries) {
            double[] range = s.throughputRatioRange();
            String throughput = s.cell().fixedRate() ? "(fixed rate)"
                    : String.format(Locale.ROOT, "**%.2f** (%.2f–%.2f)", s.throughputRatio(), range[0], range[1]);
            md.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f | %.2f |%n", s.cell().label(),
                    throughput, s.cpuRatio(), s.userCpuRatio(), s.allocationRatio(), s.p99Ratio()));
        }
        md.append("\n![ratios](ratios.svg)\n\n");
        md.append("## Both clients (medians)\n\n");
        md.append("| Cell | Client | records/s | MB/s | p50 ms | p99 ms | p99.9 ms | CPU µs/record | user CPU µs/record | bytes/record | GCs |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (CellSummary s : summaries) {
            for (ClientKind client : ClientKind.values()) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %.1f | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f | %.0f |%n",
                        s.cell().label(), client.displayName(), s.median(client, RoundResult::recordsPerSecond),
                        s.median(client, RoundResult::megabytesPerSecond),
                        s.median(client, r -> r.latencyMicros(50)) / 1000, s.median(client, r -> r.latencyMicros(99)) / 1000,
                        s.median(client, r -> r.latencyMicros(99.9)) / 1000,
                        s.median(client, RoundResult::cpuNanosPerRecord) / 1000,
                        s.median(client, RoundResult::userCpuNanosPerRecord) / 1000,
                        s.median(client, RoundResult::bytesPerRecord), s.median(client, r -> r.gcCount())));
            }
        }
        if (summaries.stream().anyMatch(s -> s.cell().fixedRate())) {
            md.append("\n## Latency at a fixed rate\n\n![latency](latency.svg)\n");
        }
        md.append("\nEvery round is in [rounds.csv](rounds.csv).\n");
        return md.toString();
    }

    private String commandLine() {
        return "PerfTool " + String.join(" ", options.rawArgs());
    }

    String csv() {
        StringBuilder csv = new StringBuilder(
                "cell,client,round,records,seconds,records_per_s,mb_per_s,p50_us,p99_us,p999_us,max_us,cpu_ns_per_record,"
                        + "user_cpu_ns_per_record,bytes_per_record,gc_count\n");
        for (CellSummary s : summaries) {
            for (List<RoundResult> rounds : List.of(s.courier(), s.kafka())) {
                for (RoundResult r : rounds) {
                    csv.append(String.format(Locale.ROOT, "\"%s\",%s,%d,%d,%.3f,%.0f,%.2f,%.0f,%.0f,%.0f,%d,%.0f,%.0f,%.0f,%d%n",
                            s.cell().label(), r.client().displayName(), r.round(), r.records(), r.seconds(),
                            r.recordsPerSecond(), r.megabytesPerSecond(), r.latencyMicros(50), r.latencyMicros(99),
                            r.latencyMicros(99.9), r.latency().getMaxValue(), r.cpuNanosPerRecord(), r.userCpuNanosPerRecord(),
                            r.bytesPerRecord(),
                            r.gcCount()));
                }
            }
        }
        return csv.toString();
    }

    /** What the machine and JVM are, for the report. */
    static final class Machine {
        private Machine() {
        }

        /**
         * The opening of a mode's {@code results.md}: when and how it ran, then a Machine section (this machine,
         * the broker, the load average at the end).
         */
        static String runSection(PerfOptions options, String brokerDescription, double elapsed) {
            return "Run " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    + String.format(Locale.ROOT, " in %.0f s", elapsed) + " with `PerfTool "
                    + String.join(" ", options.rawArgs()) + "`.\n\n"
                    + "## Machine\n\n" + describe() + "\n"
                    + "- Broker: " + brokerDescription + "\n"
                    + String.format(Locale.ROOT, "- Load average at the end: %.1f%n%n",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }

        static String describe() {
            StringBuilder s = new StringBuilder();
            s.append("- CPU: ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                    .append(" cores available to the JVM\n");
            s.append("- Memory: ").append(memTotal()).append("\n");
            s.append("- OS: ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                    .append(" (").append(System.getProperty("os.arch")).append(")\n");
            s.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ')
                    .append(System.getProperty("java.runtime.version")).append(", flags `")
                    .append(String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())).append("`\n");
            return s.toString();
        }

        static String courierVersion() {
            String v = dev.courier.producer.CourierProducer.class.getPackage().getImplementationVersion();
            return v != null ? v : "(this checkout)";
        }

        /**
         * The rival's release, from the {@code kafka/kafka-version.properties} that its jar carries (what its
         * AppInfoParser reports; read directly because that class moved to an internal package in 4.3, and the
         * perf tool runs against 4.2.2 too).
         */
        static String rivalVersion() {
            try (var in = org.apache.kafka.clients.producer.KafkaProducer.class
                    .getResourceAsStream("/kafka/kafka-version.properties")) {
                if (in == null) {
                    return "unknown";
                }
                java.util.Properties properties = new java.util.Properties();
                properties.load(in);
                return properties.getProperty("version", "unknown");
            } catch (IOException e) {
                return "unknown";
            }
        }

        private static String cpuModel() {
            return firstValue("/proc/cpuinfo", "model name").orElse(System.getProperty("os.arch"));
        }

        private static String memTotal() {
            return firstValue("/proc/meminfo", "MemTotal").orElse("unknown");
        }

        private static java.util.Optional<String> firstValue(String file, String key) {
            try {
                return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(key))
                        .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
            } catch (IOException | RuntimeException e) {
                return java.util.Optional.empty();
            }
        }
    }
}
