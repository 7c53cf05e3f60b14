package dev.courier.benchmarks.perf;

import dev.courier.benchmarks.perf.TemplateSession.Variant;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * What {@code ProducerTemplate} costs over the raw engine: the same Courier settings and records sent by
 * the raw {@code CourierProducer} and by a template from a minimal Spring context built by the starter's
 * auto-configuration, in alternating rounds (the order flips every round) against the same broker. The
 * template variants with a {@code MeterRegistry} (send timer), an {@code ObservationRegistry} and a tracer
 * (Micrometer Tracing over OpenTelemetry, {@code traceparent} in every record, see {@link BenchTracing}) run in
 * the same rounds and are reported separately, as is the cost of each over the bare template. Writes {@code results.md}.
 *
 * <p>Options ({@code --name=value}): {@code --broker=standin|embedded} (default standin), {@code --rounds=N}
 * (default 5), {@code --records=N} per round (default 400000), {@code --size=B} record size (default 100),
 * {@code --acks}, {@code --linger} (ms, default 0), {@code --batch} (bytes, default 16384),
 * {@code --variants=raw,template,...} and {@code --out=DIR} (default results/template).
 *
 * <p>A command-line program: progress goes to standard output by design.
 */
public final class TemplateOverhead {

    private record Round(Variant variant, int round, double recordsPerSecond, double cpuNanosPerRecord,
                         double bytesPerRecord, double p99Micros) {
    }

    private final Map<String, String> options;
    private final PrintStream out;

    private TemplateOverhead(Map<String, String> options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "courier-bench-logback.xml");
        }
        new TemplateOverhead(parseOptions(args), System.out).run();
        System.exit(0);
    }

    /** {@code --name=value} (or a bare {@code --flag}, mapped to "") by name; shared with {@link AdmissionModes}. */
    static Map<String, String> parseOptions(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (String arg : args) {
            if (!arg.isBlank()) {
                int eq = arg.indexOf('=');
                options.put(eq < 0 ? arg : arg.substring(0, eq), eq < 0 ? "" : arg.substring(eq + 1));
            }
        }
        return options;
    }

    private String option(String name, String fallback) {
        return options.getOrDefault("--" + name, fallback);
    }

    private void run() throws Exception {
        long began = System.nanoTime();
        int rounds = Integer.parseInt(option("rounds", "5"));
        int partitions = 6;
        Cell cell = new Cell("template", Integer.parseInt(option("size", "100")), option("acks", "1"),
                Integer.parseInt(option("linger", "0")), Integer.parseInt(option("batch", "16384")), "none",
                false, 0, Integer.parseInt(option("records", "400000")));
        List<Variant> variants = new ArrayList<>();
        for (String name : option("variants",
                "raw,raw_future,template,template_meters,template_observation,template_traced,kafka_template,"
                        + "kafka_template_meters,kafka_template_observation,kafka_template_traced").split(",")) {
            variants.add(Variant.valueOf(name.trim().toUpperCase(Locale.ROOT)));
        }
        String brokerKind = option("broker", "standin");
        Path outDir = Path.of(option("out", "results/template"));
        out.printf("ProducerTemplate vs raw engine: %s, %d rounds x %s, broker: %s%n", cell.label(), rounds, variants,
                brokerKind);
        List<Round> results = new ArrayList<>();
        String brokerDescription;
        try (BenchBroker broker = brokerKind.equals("embedded") ? BenchBroker.embedded()
                : BenchBroker.standIn(partitions)) {
            brokerDescription = broker.description();
            TemplateRoundRunner runner = new TemplateRoundRunner(broker, partitions);
            for (Variant variant : variants) {
                Round warm = runner.run(cell, variant, 0);
                out.printf(Locale.ROOT, "warm-up %-32s %,10.0f records/s%n", variant.displayName,
                        warm.recordsPerSecond());
            }
            for (int round = 1; round <= rounds; round++) {
                List<Variant> order = new ArrayList<>(variants);
                java.util.Collections.rotate(order, round - 1);
                if (round % 2 == 0) {
                    java.util.Collections.reverse(order);
                }
                for (Variant variant : order) {
                    Round r = runner.run(cell, variant, round);
                    results.add(r);
                    out.printf(Locale.ROOT, "round %d %-32s %,10.0f rec/s  CPU %6.3f µs/rec  alloc %6.1f B/rec  "
                                    + "p99 %7.2f ms%n", round, variant.displayName, r.recordsPerSecond(),
                            r.cpuNanosPerRecord() / 1000, r.bytesPerRecord(), r.p99Micros() / 1000);
                }
            }
        }
        double elapsed = (System.nanoTime() - began) / 1e9;
        String markdown = report(cell, variants, results, brokerDescription, rounds, elapsed);
        Files.createDirectories(outDir);
        Files.writeString(outDir.resolve("results.md"), markdown);
        out.println(markdown);
        out.printf(Locale.ROOT, "Done in %.0f s; results in %s%n", elapsed, outDir.toAbsolutePath());
    }

    private String report(Cell cell, List<Variant> variants, List<Round> results, String broker, int rounds,
                          double elapsed) {
        Map<Variant, List<Round>> byVariant = new EnumMap<>(Variant.class);
        for (Round r : results) {
            byVariant.computeIfAbsent(r.variant(), v -> new ArrayList<>()).add(r);
        }
        StringBuilder md = new StringBuilder();
        md.append("# ProducerTemplate overhead over the raw engine, and against spring-kafka's KafkaTemplate\n\n");
        md.append(String.format(Locale.ROOT, "Run %s, %.0f s. Settings (every variant): `%s`, %,d records of %d B "
                        + "per round, %d partitions, byte-array serializers, %d measured rounds per variant, "
                        + "the order rotating and flipping every round.%n%n", LocalDate.now(), elapsed,
                cell.producerSettings(), cell.records(), cell.recordSize(), 6, rounds));
        md.append("Broker: ").append(broker).append(".\n\n");
        md.append(String.format(Locale.ROOT, "Machine: %d cores (%s), %s %s, load average %.1f at the end.%n%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"),
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        md.append("Medians over rounds. CPU and allocation are summed over the caller thread and the producer's "
                + "network and callback threads; ratios are variant / raw engine. Per-round ratios pair each "
                + "round with the raw round next to it.\n\n");
        md.append("| Variant | records/s | CPU µs/record | bytes/record | p99 ms | throughput ratio | "
                + "CPU ratio | alloc ratio | per-round throughput ratios |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        List<Round> raw = byVariant.getOrDefault(Variant.RAW, List.of());
        for (Variant variant : variants) {
            List<Round> rs = byVariant.getOrDefault(variant, List.of());
            double tput = median(rs, Round::recordsPerSecond);
            double cpu = median(rs, Round::cpuNanosPerRecord);
            double alloc = median(rs, Round::bytesPerRecord);
            StringBuilder perRound = new StringBuilder();
            for (int i = 0; i < Math.min(rs.size(), raw.size()); i++) {
                perRound.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f",
                        rs.get(i).recordsPerSecond() / raw.get(i).recordsPerSecond()));
            }
            md.append(String.format(Locale.ROOT, "| %s | %,.0f | %.3f | %.1f | %.2f | %.3f | %.3f | %.2f | %s |%n",
                    variant.displayName, tput, cpu / 1000, alloc, median(rs, Round::p99Micros) / 1000,
                    tput / median(raw, Round::recordsPerSecond), cpu / median(raw, Round::cpuNanosPerRecord),
                    alloc / median(raw, Round::bytesPerRecord), perRound));
        }
        appendOverBareTemplate(md, byVariant);
        appendAgainstKafkaTemplate(md, byVariant);
        md.append("\nNoise: a 2-core machine, and the broker (stand-in or real) runs in the same JVM on the same "
                + "cores. At millions of records per second a round lasts about a second, so single rounds swing "
                + "(see the per-round ratios); read the medians. CPU per record is steadier, and bytes per record "
                + "(per-thread allocation counters) are nearly exact.\n");
        return md.toString();
    }

    /**
     * What meters, observations and tracing add per send to each template on its own: CPU and allocation per
     * record over the bare template's (the per-send cost of trace propagation is the traced row).
     */
    private static void appendOverBareTemplate(StringBuilder md, Map<Variant, List<Round>> byVariant) {
        Variant[][] pairs = {
                {Variant.TEMPLATE_METERS, Variant.TEMPLATE},
                {Variant.TEMPLATE_OBSERVATION, Variant.TEMPLATE},
                {Variant.TEMPLATE_TRACED, Variant.TEMPLATE},
                {Variant.KAFKA_TEMPLATE_METERS, Variant.KAFKA_TEMPLATE},
                {Variant.KAFKA_TEMPLATE_OBSERVATION, Variant.KAFKA_TEMPLATE},
                {Variant.KAFKA_TEMPLATE_TRACED, Variant.KAFKA_TEMPLATE}};
        StringBuilder rows = new StringBuilder();
        for (Variant[] pair : pairs) {
            List<Round> with = byVariant.get(pair[0]);
            List<Round> bare = byVariant.get(pair[1]);
            if (with == null || bare == null) {
                continue;
            }
            double cpu = median(with, Round::cpuNanosPerRecord);
            double bareCpu = median(bare, Round::cpuNanosPerRecord);
            double alloc = median(with, Round::bytesPerRecord);
            double bareAlloc = median(bare, Round::bytesPerRecord);
            rows.append(String.format(Locale.ROOT, "| %s | %+.3f | %+.0f | %.3f | %.3f | %.2f |%n",
                    pair[0].displayName, (cpu - bareCpu) / 1000, alloc - bareAlloc,
                    median(with, Round::recordsPerSecond) / median(bare, Round::recordsPerSecond), cpu / bareCpu,
                    alloc / bareAlloc));
        }
        if (rows.length() > 0) {
            md.append("\n## Cost per send over the bare template\n\n");
            md.append("Each row against its own template with nothing added (ProducerTemplate or KafkaTemplate); "
                    + "medians. The traced rows include the span processor's thread.\n\n");
            md.append("| Variant | + CPU µs/send | + bytes/send | throughput ratio | CPU ratio | alloc ratio |\n"
                    + "|---|---:|---:|---:|---:|---:|\n");
            md.append(rows);
        }
    }

    /** ProducerTemplate against spring-kafka's KafkaTemplate, like for like (bare, with meters, observed, traced). */
    private static void appendAgainstKafkaTemplate(StringBuilder md, Map<Variant, List<Round>> byVariant) {
        Variant[][] pairs = {
                {Variant.TEMPLATE, Variant.KAFKA_TEMPLATE},
                {Variant.TEMPLATE_METERS, Variant.KAFKA_TEMPLATE_METERS},
                {Variant.TEMPLATE_OBSERVATION, Variant.KAFKA_TEMPLATE_OBSERVATION},
                {Variant.TEMPLATE_TRACED, Variant.KAFKA_TEMPLATE_TRACED}};
        StringBuilder rows = new StringBuilder();
        for (Variant[] pair : pairs) {
            List<Round> ours = byVariant.get(pair[0]);
            List<Round> theirs = byVariant.get(pair[1]);
            if (ours == null || theirs == null) {
                continue;
            }
            rows.append(String.format(Locale.ROOT, "| %s / %s | %.2f | %.2f | %.2f | %.2f |%n", pair[0].displayName,
                    pair[1].displayName,
                    median(ours, Round::recordsPerSecond) / median(theirs, Round::recordsPerSecond),
                    median(ours, Round::cpuNanosPerRecord) / median(theirs, Round::cpuNanosPerRecord),
                    median(ours, Round::bytesPerRecord) / median(theirs, Round::bytesPerRecord),
                    median(ours, Round::p99Micros) / median(theirs, Round::p99Micros)));
        }
        if (rows.length() > 0) {
            md.append("\n## ProducerTemplate / spring-kafka's KafkaTemplate\n\n");
            md.append("Same settings and serializers; KafkaTemplate comes from Spring Boot's Kafka auto-configuration "
                    + "over kafka-clients. Throughput: higher is better; CPU, allocation, p99: lower is better.\n\n");
            md.append("| Pair | throughput | CPU/record | alloc/record | p99 |\n|---|---:|---:|---:|---:|\n");
            md.append(rows);
        }
    }

    static <T> double median(List<T> rounds, ToDoubleFunction<? super T> metric) {
        double[] values = rounds.stream().mapToDouble(metric).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    /** One round of one variant: as {@link RoundRunner}, with the template sessions. */
    private static final class TemplateRoundRunner {
        private final BenchBroker broker;
        private final int partitions;
        private int sequence;

        TemplateRoundRunner(BenchBroker broker, int partitions) {
            this.broker = broker;
            this.partitions = partitions;
        }

        Round run(Cell cell, Variant variant, int round) throws InterruptedException, IOException {
            String clientId = "tmpl-" + variant.name().toLowerCase(Locale.ROOT) + "-" + (++sequence);
            String topic = "tmpl-" + sequence;
            broker.createTopic(topic, partitions);
            try (TemplateSession session = TemplateSession.open(variant, broker.bootstrapServers(),
                    cell.producerSettings(), clientId)) {
                MeasuredRound measured = MeasuredRound.run(session, cell, topic, variant.displayName);
                return new Round(variant, round, measured.records() / measured.seconds(),
                        measured.perRecord(measured.cpuNanos()), measured.perRecord(measured.allocatedBytes()),
                        measured.latencyMicros().getValueAtPercentile(99));
            } finally {
                broker.deleteTopic(topic);
            }
        }
    }
}
