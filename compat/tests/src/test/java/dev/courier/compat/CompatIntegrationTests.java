package dev.courier.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.CourierProducer;
import dev.courier.producer.Header;
import dev.courier.producer.Producer;
import dev.courier.producer.ProducerConfig;
import dev.courier.producer.ProducerRecord;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.serialization.ByteArraySerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Courier against real brokers of older releases (2.8 in ZooKeeper mode, 3.9 and 4.x in KRaft), each started as
 * processes from its Maven Central artifacts ({@link ReleaseBroker}): for every codec, a round trip with acks 0, 1
 * and all (idempotence off), an idempotent one, and a transactional one (a committed and an aborted transaction),
 * each read back with the official consumer ({@code read_committed}) and compared record by record.
 *
 * <p>One test per release runs its whole matrix and fails listing every failed cell; after all releases the
 * matrix is printed and written to {@code target/compat-matrix.md} (what {@code compat/COMPAT.md} records). Runs
 * only in the {@code compat} profile; the releases come from the {@code compat.versions} system property.
 */
class CompatIntegrationTests {

    private static final Logger log = LoggerFactory.getLogger(CompatIntegrationTests.class);
    private static final List<String> CODECS = List.of("none", "gzip", "snappy", "lz4", "zstd");
    private static final int RECORDS = 200;
    private static final int ABORTED_RECORDS = 50;
    private static final AtomicInteger TOPICS = new AtomicInteger();
    /** Release -> "mode codec" -> "pass" or the failure; in the order run. */
    private static final Map<String, Map<String, String>> MATRIX = new LinkedHashMap<>();
    /** The cell that records a broker that did not start. */
    private static final String BROKER = "broker";

    /** How a cell's producer writes. */
    enum Mode {
        ACKS_0("acks=0"), ACKS_1("acks=1"), ACKS_ALL("acks=all"), IDEMPOTENT("idempotent"),
        TRANSACTIONAL("transactional");

        final String label;

        Mode(String label) {
            this.label = label;
        }

        void configure(Map<String, Object> config, String topic) {
            switch (this) {
                case ACKS_0, ACKS_1, ACKS_ALL -> {
                    config.put(ProducerConfig.ACKS, label.substring("acks=".length()));
                    config.put(ProducerConfig.ENABLE_IDEMPOTENCE, false);
                }
                case IDEMPOTENT -> {
                    config.put(ProducerConfig.ACKS, "all");
                    config.put(ProducerConfig.ENABLE_IDEMPOTENCE, true);
                }
                case TRANSACTIONAL -> config.put(ProducerConfig.TRANSACTIONAL_ID, "compat-" + topic);
            }
        }
    }

    static Stream<String> versions() {
        return Arrays.stream(System.getProperty("compat.versions", "").split(",")).map(String::trim)
                .filter(version -> !version.isEmpty());
    }

    @ParameterizedTest(name = "Kafka {0}")
    @MethodSource("versions")
    void roundTripsOverEveryCodecAndAcks(String version) {
        Map<String, String> cells = new LinkedHashMap<>();
        synchronized (MATRIX) {
            MATRIX.put(version, cells);
        }
        Path classpath = Path.of(System.getProperty("compat.dir", "target/compat"), version);
        ReleaseBroker started;
        try {
            started = ReleaseBroker.start(version, classpath);
        } catch (RuntimeException e) {
            cells.put(BROKER, "FAIL: did not start: " + e.getMessage());
            throw e;
        }
        try (ReleaseBroker broker = started) {
            for (Mode mode : Mode.values()) {
                for (String codec : CODECS) {
                    cells.put(mode.label + " " + codec, runCell(broker, mode, codec));
                }
            }
        }
        List<String> failed = cells.entrySet().stream().filter(cell -> !cell.getValue().equals("pass"))
                .map(cell -> cell.getKey() + ": " + cell.getValue()).toList();
        assertThat(failed).as("failed cells against Kafka " + version).isEmpty();
    }

    /** Runs one cell; "pass", or what went wrong (the stack trace goes to the log). */
    private static String runCell(ReleaseBroker broker, Mode mode, String codec) {
        String topic = "compat-" + mode.name().toLowerCase().replace('_', '-') + "-" + codec + "-"
                + TOPICS.incrementAndGet();
        try {
            broker.createTopic(topic, 2);
            Map<String, Object> config = new HashMap<>();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
            config.put(ProducerConfig.LINGER_MS, 5);
            config.put(ProducerConfig.COMPRESSION_TYPE, codec);
            mode.configure(config, topic);
            List<ProducerRecord<byte[], byte[]>> sent = records(topic, "committed", RECORDS);
            List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
            try (Producer<byte[], byte[]> producer =
                         new CourierProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
                if (mode == Mode.TRANSACTIONAL) {
                    producer.initTransactions();
                    producer.beginTransaction();
                    sent.forEach(record -> futures.add(producer.send(record)));
                    producer.commitTransaction();
                    producer.beginTransaction();
                    List<CompletableFuture<RecordMetadata>> aborted = new ArrayList<>();
                    records(topic, "aborted", ABORTED_RECORDS).forEach(record -> aborted.add(producer.send(record)));
                    producer.flush(); // the aborted records reach the log: the consumer must skip them
                    producer.abortTransaction();
                    CompletableFuture.allOf(aborted.toArray(CompletableFuture[]::new)).handle((ok, error) -> ok).join();
                } else {
                    sent.forEach(record -> futures.add(producer.send(record)));
                    producer.flush();
                }
            }
            List<ConsumerRecord<byte[], byte[]>> received =
                    CommittedReader.readAll(broker.bootstrapServers(), topic, RECORDS);
            compare(sent, futures, received, mode != Mode.ACKS_0);
            return "pass";
        } catch (Throwable e) {
            log.error("Kafka {} {} {} failed", broker.version(), mode.label, codec, e);
            String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            return "FAIL: " + e.getClass().getSimpleName() + ": "
                    + (message.length() > 160 ? message.substring(0, 160) + "..." : message);
        }
    }

    /** Keys (some null), values (some null, sizes varying), headers (some absent), timestamps; two partitions. */
    private static List<ProducerRecord<byte[], byte[]>> records(String topic, String kind, int count) {
        long baseTimestamp = System.currentTimeMillis() - 60_000;
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] key = i % 7 == 0 ? null : (kind + "-key-" + i).getBytes(StandardCharsets.UTF_8);
            byte[] value = i % 11 == 0 ? null
                    : (kind + "-value-" + i + "-" + "x".repeat(i)).getBytes(StandardCharsets.UTF_8);
            List<Header> headers = i % 3 == 0 ? List.of()
                    : List.of(new Header("h1", ("hv-" + i).getBytes(StandardCharsets.UTF_8)), new Header("h2", null));
            records.add(new ProducerRecord<>(topic, i % 2, baseTimestamp + i, key, value, headers));
        }
        return records;
    }

    /** Every partition holds exactly what was sent to it, in order; acknowledged offsets match the log's. */
    private static void compare(List<ProducerRecord<byte[], byte[]>> sent,
                                List<CompletableFuture<RecordMetadata>> futures,
                                List<ConsumerRecord<byte[], byte[]>> received, boolean offsetsKnown) {
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition = new HashMap<>();
        received.forEach(record -> byPartition.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record));
        Map<Integer, Integer> nextIndex = new HashMap<>();
        for (int i = 0; i < sent.size(); i++) {
            ProducerRecord<byte[], byte[]> expected = sent.get(i);
            RecordMetadata metadata = futures.get(i).join();
            int index = nextIndex.merge(expected.partition(), 1, Integer::sum) - 1;
            List<ConsumerRecord<byte[], byte[]>> partition = byPartition.getOrDefault(expected.partition(), List.of());
            assertThat(partition.size()).as("records read from partition " + expected.partition())
                    .isGreaterThan(index);
            ConsumerRecord<byte[], byte[]> actual = partition.get(index);
            assertThat(metadata.partition()).isEqualTo(expected.partition());
            if (offsetsKnown) {
                assertThat(metadata.offset()).as("acknowledged offset of record " + i).isEqualTo(actual.offset());
            }
            assertThat(actual.key()).as("key of record " + i).isEqualTo(expected.key());
            assertThat(actual.value()).as("value of record " + i).isEqualTo(expected.value());
            assertThat(actual.timestamp()).as("timestamp of record " + i).isEqualTo(expected.timestamp());
            List<Header> headers = new ArrayList<>();
            actual.headers().forEach(h -> headers.add(new Header(h.key(), h.value())));
            assertThat(headers).as("headers of record " + i).isEqualTo(expected.headers());
        }
        assertThat(received).as("records read (no duplicates, nothing aborted)").hasSize(sent.size());
    }

    @AfterAll
    static void printMatrix() throws IOException {
        StringBuilder table = new StringBuilder("| Kafka | mode | " + String.join(" | ", CODECS) + " |\n|---|---|"
                + "---|".repeat(CODECS.size()) + "\n");
        List<String> failures = new ArrayList<>();
        synchronized (MATRIX) {
            MATRIX.forEach((version, cells) -> {
                if (cells.containsKey(BROKER)) {
                    table.append("| ").append(version).append(" | broker did not start |")
                            .append(" - |".repeat(CODECS.size())).append('\n');
                    failures.add(version + ": " + cells.get(BROKER));
                    return;
                }
                for (Mode mode : Mode.values()) {
                    table.append("| ").append(version).append(" | ").append(mode.label).append(" |");
                    for (String codec : CODECS) {
                        String result = cells.getOrDefault(mode.label + " " + codec, "not run");
                        table.append(' ').append(result.equals("pass") ? "pass" : "**FAIL**").append(" |");
                        if (!result.equals("pass")) {
                            failures.add(version + " " + mode.label + " " + codec + ": " + result);
                        }
                    }
                    table.append('\n');
                }
            });
        }
        StringBuilder report = new StringBuilder(table);
        if (!failures.isEmpty()) {
            report.append("\nFailures:\n\n");
            failures.forEach(failure -> report.append("- ").append(failure).append('\n'));
        }
        log.info("Compatibility matrix:\n{}", report);
        Path file = Path.of("target", "compat-matrix.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report.toString(), StandardCharsets.UTF_8);
    }
}
