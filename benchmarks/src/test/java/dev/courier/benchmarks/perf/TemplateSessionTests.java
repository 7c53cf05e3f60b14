package dev.courier.benchmarks.perf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.benchmarks.perf.TemplateSession.Variant;
import dev.courier.producer.Header;
import io.micrometer.observation.ObservationRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Every variant of the template benchmark (ProducerTemplate and spring-kafka's KafkaTemplate, bare, with meters,
 * observed, traced) completes a short round against the broker stand-in, with its own threads metered; the traced
 * template really propagates the trace into the records.
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

    @Test
    void theTracedTemplateWritesEachSendsTraceIntoTheRecordUnderTheLoopsSpan() throws Exception {
        Cell cell = new Cell("smoke", 100, "1", 0, 16_384, "none", false, 0, 500);
        String topic = "smoke-traced-" + (++sequence);
        broker.createTopic(topic, PARTITIONS);
        try (TemplateSession session = TemplateSession.open(Variant.TEMPLATE_TRACED, broker.bootstrapServers(),
                cell.producerSettings(), "smoke-traced")) {
            MeasuredRound.run(session, cell, topic, "traced");
            TemplateSession.TracedTemplate traced = (TemplateSession.TracedTemplate) session;

            List<Header> headers = traced.lastSend().join().producerRecord().headers();
            assertThat(headers).extracting(Header::key).containsExactly("traceparent");
            String[] traceparent = new String(headers.get(0).value(), StandardCharsets.UTF_8).split("-");
            assertThat(traceparent).hasSize(4);
            assertThat(traceparent[1]).as("the send span's trace is the loop span's")
                    .isEqualTo(traced.loopTraceId());
            assertThat(traced.flushSpans()).as("send spans reached the exporter").isPositive();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theTracedKafkaTemplateWritesTheTraceIntoTheRecordToo() throws Exception {
        Cell cell = new Cell("smoke", 100, "1", 0, 16_384, "none", false, 0, 100);
        String topic = "smoke-kafka-traced-" + (++sequence);
        broker.createTopic(topic, PARTITIONS);
        try (TemplateSession session = TemplateSession.open(Variant.KAFKA_TEMPLATE_TRACED,
                broker.bootstrapServers(), cell.producerSettings(), "smoke-kafka-traced")) {
            TemplateSession.SpringKafkaTemplate traced = (TemplateSession.SpringKafkaTemplate) session;
            KafkaTemplate<byte[], byte[]> template = traced.bean(KafkaTemplate.class);
            List<org.springframework.kafka.support.SendResult<byte[], byte[]>> sent = new java.util.ArrayList<>();

            String loopTraceId = BenchTracing.inLoopSpan(traced.bean(ObservationRegistry.class),
                    () -> sent.add(template.send(topic, "traced".getBytes(StandardCharsets.UTF_8)).join()));

            org.apache.kafka.common.header.Header traceparent =
                    sent.get(0).getProducerRecord().headers().lastHeader("traceparent");
            assertThat(traceparent).as("traceparent header").isNotNull();
            assertThat(new String(traceparent.value(), StandardCharsets.UTF_8).split("-")[1]).isEqualTo(loopTraceId);
        }
    }
}
