package dev.courier.benchmarks.perf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.test.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Smoke test of the perf tool's transactions mode: a short round of each client against the in-process broker
 * commits every transaction, meters the threads, and leaves exactly the round's records visible to a
 * read_committed consumer (none lost, none duplicated).
 */
class TransactionPerfIntegrationTests {

    private static final Logger log = LoggerFactory.getLogger(TransactionPerfIntegrationTests.class);
    private static final int PARTITIONS = 3;
    private static final int TRANSACTIONS = 4;

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.shared();
    }

    @ParameterizedTest
    @EnumSource(ClientKind.class)
    void aShortRoundCommitsEveryTransactionExactlyOnce(ClientKind kind) throws Exception {
        Cell cell = TransactionPerf.cell(TRANSACTIONS);
        String topic = kafka.uniqueTopic("txn-smoke-" + kind.name().toLowerCase(Locale.ROOT));
        kafka.createTopic(topic, PARTITIONS, 1);
        RoundResult round;
        try (TransactionSession session = TransactionSession.open(kind, kafka.bootstrapServers(),
                cell.producerSettings(), "txn-smoke-" + topic, TransactionPerf.TRANSACTION_TIMEOUT_MS)) {
            round = TransactionRound.run(session, cell, kind, 1, topic, TRANSACTIONS);
        }

        int expected = TRANSACTIONS * TransactionPerf.RECORDS_PER_TRANSACTION;
        assertThat(round.records()).isEqualTo(expected);
        assertThat(round.latency().getTotalCount()).as("one latency per transaction").isEqualTo(TRANSACTIONS);
        assertThat(round.cpuNanosPerRecord()).as("the caller and the producer's threads were metered").isPositive();
        int visible = readCommitted(topic);
        log.info("{} transactions mode: {} transactions committed, 0 aborted, {} records sent, {} visible "
                + "read_committed, {} duplicates", kind.displayName(), TRANSACTIONS, expected, visible,
                visible - expected);
        assertThat(visible).as("records visible to read_committed").isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(ClientKind.class)
    void theModeRunsEndToEndAndWritesItsReport(ClientKind kind) throws Exception {
        java.nio.file.Path out = java.nio.file.Files.createTempDirectory("txn-perf");
        PerfOptions options = PerfOptions.parse(new String[] {"--mode=transactions", "--rounds=1", "--scale=0.025",
                "--partitions=3", "--only=" + kind.name().toLowerCase(Locale.ROOT), "--bootstrap-servers="
                + kafka.bootstrapServers(), "--out=" + out});
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();

        new PerfTool(options, new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8)).run();

        assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("round 1 " + kind.displayName()).contains("transactions/s");
        assertThat(out.resolve("results.md")).content().contains("transactions of 1000 x 100 B")
                .contains("| " + kind.displayName() + " |");
        assertThat(out.resolve("rounds.csv")).content().contains("," + kind.displayName() + ",1,5000,");
    }

    /** Every record of {@code topic} a read_committed consumer sees, up to the last stable offsets. */
    private static int readCommitted(String topic) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            int count = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("read_committed read of " + topic + " did not reach " + end);
                }
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
            return count;
        }
    }
}
