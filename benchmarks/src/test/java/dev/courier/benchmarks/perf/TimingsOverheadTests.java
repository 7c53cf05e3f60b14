package dev.courier.benchmarks.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The perf tool's timings-overhead mode: each setting's callback really gets (or does not get) the timings, and
 * a quick run against the broker stand-in reports the on / off ratios.
 */
class TimingsOverheadTests {

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void theCallbackSeesTimingsOnEveryRecordExactlyWhenEnabled(boolean timings) throws Exception {
        Cell cell = new Cell("smoke", 100, "1", 0, 16_384, "none", false, 0, 2_000);
        try (BenchBroker broker = BenchBroker.standIn(3);
             TimingsSession session = new TimingsSession(timings, broker.bootstrapServers(), cell.producerSettings(),
                     "timings-" + timings)) {
            broker.createTopic("timings", 3);
            MeasuredRound round = MeasuredRound.run(session, cell, "timings", "timings " + timings);

            assertThat(round.records()).isEqualTo(2_000);
            assertThat(session.recordsWithTimings()).isEqualTo(timings ? 2_000 : 0);
        }
    }

    @Test
    void aQuickRunReportsTheOnOffRatios(@TempDir Path out) throws Exception {
        PerfOptions options = PerfOptions.parse(new String[] {"--mode=timings-overhead", "--quick", "--scale=0.01",
                "--broker=standin", "--cells=^100B acks=1 linger=0 batch=16K none$", "--out=" + out});
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        new PerfTool(options, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("round 1 timings on", "round 1 timings off")
                .containsPattern("=> 100B acks=1 linger=0 batch=16K none: throughput \\d+\\.\\d{3}, "
                        + "CPU/record \\d+\\.\\d{3}, alloc/record \\d+\\.\\d{3} \\(timings on / off\\)");
        assertThat(Files.readString(out.resolve("results.md")))
                .contains("delivery.timings.enable", "| 100B acks=1 linger=0 batch=16K none |");
    }
}
