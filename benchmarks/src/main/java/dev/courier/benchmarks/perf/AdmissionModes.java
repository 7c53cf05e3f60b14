package dev.courier.benchmarks.perf;

import dev.courier.benchmarks.perf.AdmissionSession.Variant;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How records reach the producer, and what it costs the caller: the raw engine's blocking {@code send}, the
 * non-blocking {@code trySend} (waiting for {@code whenCapacity} when refused) and the {@code Flow} processor,
 * with the same settings and records, in rounds whose order rotates and flips, against the same broker. Each
 * runs twice: with the default {@code buffer.memory} (32 MiB: the producer rarely runs out) and with a tight
 * one (256 KiB: it runs out all the time, so {@code send} blocks, {@code trySend} is refused and the processor
 * waits). Reports throughput, the caller thread's CPU per record and the total (caller plus the producer's
 * network and callback threads). Writes {@code results.md}.
 *
 * <p>Options ({@code --name=value}): {@code --broker=standin|embedded} (default standin), {@code --quick}
 * (1 round, a quarter of the records), {@code --rounds=N} (default 5), {@code --records=N} per round (default
 * 400000), {@code --size=B} (default 100), {@code --acks} (default 1), {@code --linger} (ms, default 0),
 * {@code --batch} (bytes, default 16384), {@code --buffers=33554432,262144} (the {@code buffer.memory} runs),
 * {@code --variants=send,try_send,processor} and {@code --out=DIR} (default results/admission).
 *
 * <p>A command-line program: progress goes to standard output by design.
 */
public final class AdmissionModes {

    private record Round(Variant variant, long bufferMemory, int round, double recordsPerSecond,
                         double callerCpuNanosPerRecord, double cpuNanosPerRecord, double bytesPerRecord,
                         double p99Micros, double refusalsPerRecord) {
    }

    private final Map<String, String> options;
    private final PrintStream out;

    AdmissionModes(Map<String, String> options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "courier-bench-logback.xml");
        }
        new AdmissionModes(TemplateOverhead.parseOptions(args), System.out).run();
        System.exit(0);
    }

    private String option(String name, String fallback) {
        return options.getOrDefault("--" + name, fallback);
    }

    /** Runs every round and writes the report; returns where. */
    Path run() throws Exception {
        long began = System.nanoTime();
        boolean quick = options.containsKey("--quick");
        int rounds = Integer.parseInt(option("rounds", quick ? "1" : "5"));
        int records = Integer.parseInt(option("records", quick ? "100000" : "400000"));
        Cell cell = new Cell("admission", Integer.parseInt(option("size", "100")), option("acks", "1"),
                Integer.parseInt(option("linger", "0")), Integer.parseInt(option("batch", "16384")), "none",
                false, 0, records);
        List<Long> buffers = new ArrayList<>();
        for (String buffer : option("buffers", "33554432,262144").split(",")) {
            buffers.add(Long.parseLong(buffer.trim()));
        }
        List<Variant> variants = new ArrayList<>();
        for (String name : option("variants", "send,try_send,processor").split(",")) {
            variants.add(Variant.valueOf(name.trim().toUpperCase(Locale.ROOT)));
        }
        String brokerKind = option("broker", "standin");
        Path outDir = Path.of(option("out", "results/admission"));
        out.printf("send vs trySend vs Flow processor: %s, buffer.memory %s, %d rounds x %s, broker: %s%n",
                cell.label(), buffers, rounds, variants, brokerKind);
        List<Round> results = new ArrayList<>();
        String brokerDescription;
        try (BenchBroker broker = brokerKind.equals("embedded") ? BenchBroker.embedded() : BenchBroker.standIn(6)) {
            brokerDescription = broker.description();
            Runner runner = new Runner(broker);
            for (long buffer : buffers) {
                for (Variant variant : variants) {
                    Round warm = runner.run(cell, buffer, variant, 0);
                    out.printf(Locale.ROOT, "warm-up %-24s buffer %,11d  %,10.0f records/s%n", variant.displayName,
                            buffer, warm.recordsPerSecond());
                }
                for (int round = 1; round <= rounds; round++) {
                    List<Variant> order = new ArrayList<>(variants);
                    Collections.rotate(order, round - 1);
                    if (round % 2 == 0) {
                        Collections.reverse(order);
                    }
                    for (Variant variant : order) {
                        Round r = runner.run(cell, buffer, variant, round);
                        results.add(r);
                        out.printf(Locale.ROOT, "round %d %-24s buffer %,11d %,10.0f rec/s  caller CPU %6.3f µs/rec"
                                        + "  CPU %6.3f µs/rec  p99 %7.2f ms  refusals %.3f/rec%n", round,
                                variant.displayName, buffer, r.recordsPerSecond(), r.callerCpuNanosPerRecord() / 1000,
                                r.cpuNanosPerRecord() / 1000, r.p99Micros() / 1000, r.refusalsPerRecord());
                    }
                }
            }
        }
        double elapsed = (System.nanoTime() - began) / 1e9;
        String markdown = report(cell, buffers, variants, results, brokerDescription, rounds, elapsed);
        Files.createDirectories(outDir);
        Files.writeString(outDir.resolve("results.md"), markdown);
        out.println(markdown);
        out.printf(Locale.ROOT, "Done in %.0f s; results in %s%n", elapsed, outDir.toAbsolutePath());
        return outDir.resolve("results.md");
    }

    private static String report(Cell cell, List<Long> buffers, List<Variant> variants, List<Round> results,
                                 String broker, int rounds, double elapsed) {
        StringBuilder md = new StringBuilder();
        md.append("# send, trySend and the Flow processor: throughput and caller CPU\n\n");
        md.append(String.format(Locale.ROOT, "Run %s, %.0f s. Settings (every variant): `%s`, %,d records of %d B "
                        + "per round, 6 partitions, byte-array serializers, %d measured rounds per variant and "
                        + "buffer.memory, the order rotating and flipping every round.%n%n", LocalDate.now(), elapsed,
                cell.producerSettings(), cell.records(), cell.recordSize(), rounds));
        md.append("Broker: ").append(broker).append(".\n\n");
        md.append(String.format(Locale.ROOT, "Machine: %d cores (%s), %s %s, load average %.1f at the end.%n%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"),
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        md.append("Medians over rounds; ratios are variant / send. Caller CPU is the sending thread's alone (for "
                + "the processor, the thread that subscribed: its records are serialized and appended on the thread "
                + "the processor requests them from, mostly the producer's callback thread). Total CPU adds the "
                + "producer's network and callback threads. Refusals: trySend calls refused for lack of room, per "
                + "record (each followed by a whenCapacity wait).\n");
        for (long buffer : buffers) {
            List<Round> send = select(results, Variant.SEND, buffer);
            md.append(String.format(Locale.ROOT, "%n## buffer.memory = %,d bytes%n%n", buffer));
            md.append("| Variant | records/s | caller CPU µs/record | total CPU µs/record | bytes/record | p99 ms | "
                    + "refusals/record | throughput / send | caller CPU / send | total CPU / send |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Variant variant : variants) {
                List<Round> rs = select(results, variant, buffer);
                double tput = TemplateOverhead.median(rs, Round::recordsPerSecond);
                double caller = TemplateOverhead.median(rs, Round::callerCpuNanosPerRecord);
                double cpu = TemplateOverhead.median(rs, Round::cpuNanosPerRecord);
                md.append(String.format(Locale.ROOT,
                        "| %s | %,.0f | %.3f | %.3f | %.1f | %.2f | %.3f | %.2f | %.2f | %.2f |%n",
                        variant.displayName, tput, caller / 1000, cpu / 1000,
                        TemplateOverhead.median(rs, Round::bytesPerRecord),
                        TemplateOverhead.median(rs, Round::p99Micros) / 1000,
                        TemplateOverhead.median(rs, Round::refusalsPerRecord),
                        tput / TemplateOverhead.median(send, Round::recordsPerSecond),
                        caller / TemplateOverhead.median(send, Round::callerCpuNanosPerRecord),
                        cpu / TemplateOverhead.median(send, Round::cpuNanosPerRecord)));
            }
        }
        md.append("\nNoise: read the medians, and only from a quiet machine; the broker runs in the same JVM on the "
                + "same cores.\n");
        return md.toString();
    }

    private static List<Round> select(List<Round> results, Variant variant, long buffer) {
        return results.stream().filter(r -> r.variant() == variant && r.bufferMemory() == buffer).toList();
    }

    /** One round of one variant with one buffer.memory, on a new topic. */
    private static final class Runner {
        private final BenchBroker broker;
        private int sequence;

        Runner(BenchBroker broker) {
            this.broker = broker;
        }

        Round run(Cell cell, long bufferMemory, Variant variant, int round) throws InterruptedException {
            String clientId = "adm-" + variant.name().toLowerCase(Locale.ROOT) + "-" + (++sequence);
            String topic = "adm-" + sequence;
            broker.createTopic(topic, 6);
            Map<String, Object> settings = new LinkedHashMap<>(cell.producerSettings());
            settings.put("buffer.memory", String.valueOf(bufferMemory));
            try (AdmissionSession session = AdmissionSession.open(variant, broker.bootstrapServers(), settings,
                    clientId)) {
                MeasuredRound measured = MeasuredRound.run(session, cell, topic, variant.displayName);
                return new Round(variant, bufferMemory, round, measured.records() / measured.seconds(),
                        measured.perRecord(measured.callerCpuNanos()), measured.perRecord(measured.cpuNanos()),
                        measured.perRecord(measured.allocatedBytes()),
                        measured.latencyMicros().getValueAtPercentile(99),
                        measured.perRecord(session.refusals()));
            } finally {
                broker.deleteTopic(topic);
            }
        }
    }
}
