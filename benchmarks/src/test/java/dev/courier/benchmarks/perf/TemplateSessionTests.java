package dev.courier.benchmarks.perf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.benchmarks.perf.TemplateSession.Variant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every variant of the template benchmark (ProducerTemplate and spring-kafka's KafkaTemplate, bare, with meters,
 * observed) completes a short round against the broker stand-in, with its own threads metered.
 */
class TemplateSessionTests {

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
    void aShortRoundCompletesEveryRecord(Variant variant) throws Exception {
        Cell cell = new Cell("smoke", 100, "1", 0, 16_384, "none", false, 0, 2_000);
        String topic = "smoke-" + (++sequence);
        broker.createTopic(topic, PARTITIONS);
        try (TemplateSession session = TemplateSession.open(variant, broker.bootstrapServers(),
                cell.producerSettings(), "smoke-" + variant.name().toLowerCase(java.util.Locale.ROOT))) {
            MeasuredRound round = MeasuredRound.run(session, cell, topic, variant.displayName);

            assertThat(round.records()).isEqualTo(2_000);
            assertThat(round.latencyMicros().getTotalCount()).isEqualTo(2_000);
            assertThat(round.cpuNanos()).as("the caller and the producer's threads were metered").isPositive();
        }
    }
}
