package dev.courier.benchmarks.perf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.benchmarks.perf.AdmissionSession.Variant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every way of handing records to the producer (send, trySend + whenCapacity, the Flow processor) completes a
 * short round against the broker stand-in, with a buffer.memory so small that the producer keeps running out,
 * and the admission tool's quick mode writes its report.
 */
class AdmissionSessionTests {

    private static final int PARTITIONS = 3;
    private static BenchBroker broker;
    private static int sequence;

    @BeforeAll
    static void startStandIn() throws Exception {
        broker = BenchBroker.standIn(PARTITIONS);
    }

    @AfterAll
    static void stopStandIn() {
        broker.close();
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void aShortRoundThroughATightBufferCompletesEveryRecord(Variant variant) throws Exception {
        Cell cell = new Cell("smoke", 100, "1", 0, 16_384, "none", false, 0, 5_000);
        String topic = "smoke-" + (++sequence);
        broker.createTopic(topic, PARTITIONS);
        Map<String, Object> settings = new LinkedHashMap<>(cell.producerSettings());
        settings.put("buffer.memory", "49152"); // three batches
        try (AdmissionSession session = AdmissionSession.open(variant, broker.bootstrapServers(), settings,
                "smoke-" + variant.name().toLowerCase(Locale.ROOT))) {
            MeasuredRound round = MeasuredRound.run(session, cell, topic, variant.displayName);

            assertThat(round.records()).isEqualTo(5_000);
            assertThat(round.latencyMicros().getTotalCount()).as("every record acknowledged").isEqualTo(5_000);
            assertThat(round.callerCpuNanos()).as("the caller was metered").isPositive();
            assertThat(round.cpuNanos()).isGreaterThanOrEqualTo(round.callerCpuNanos());
        }
    }

    @Test
    void theQuickModeRunsEveryVariantWithBothBuffersAndWritesTheReport(@TempDir Path out) throws Exception {
        Path report = new AdmissionModes(TemplateOverhead.parseOptions(new String[] {"--quick", "--records=3000",
                "--out=" + out}), new java.io.PrintStream(java.io.OutputStream.nullOutputStream())).run();

        String markdown = Files.readString(report);
        assertThat(markdown).contains("## buffer.memory = 33,554,432 bytes", "## buffer.memory = 262,144 bytes");
        assertThat(markdown).contains("| send |", "| trySend + whenCapacity |", "| Flow processor |");
    }
}
