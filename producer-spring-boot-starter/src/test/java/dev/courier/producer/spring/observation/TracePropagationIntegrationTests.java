package dev.courier.producer.spring.observation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.spring.ProducerTemplate;
import dev.courier.producer.spring.SendResult;
import dev.courier.producer.spring.autoconfigure.CourierProducerAutoConfiguration;
import dev.courier.producer.spring.autoconfigure.CourierProducerObservationAutoConfiguration;
import dev.courier.test.EmbeddedKafka;
import dev.courier.test.EmbeddedKafkaCluster;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

/**
 * Trace context in records, with a real tracer (Micrometer Tracing's OpenTelemetry bridge, W3C propagation, an
 * in-memory exporter) wired as Spring Boot wires it, against the embedded broker: the official consumer reads
 * the {@code traceparent} header and it names the send's span, a child of the caller's.
 */
@EmbeddedKafkaCluster
class TracePropagationIntegrationTests {

    private final EmbeddedKafka kafka;

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();

    private final ApplicationContextRunner runner;

    TracePropagationIntegrationTests(EmbeddedKafka kafka) {
        this.kafka = kafka;
        this.runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CourierProducerAutoConfiguration.class,
                        CourierProducerObservationAutoConfiguration.class))
                .withPropertyValues("courier.producer.bootstrap-servers=" + kafka.bootstrapServers());
    }

    @AfterEach
    void closeTracer() {
        tracerProvider.close();
    }

    @Test
    void theSendSpanIsAChildOfTheCallersAndItsContextTravelsInTheRecord() {
        String topic = kafka.uniqueTopic("traced");
        kafka.createTopic(topic, 1, 1);
        ObservationRegistry registry = tracingRegistry();
        runner.withBean(ObservationRegistry.class, () -> registry).run(context -> {
            Observation caller = Observation.start("http.server.request", registry);
            SendResult<String, String> result;
            try (Observation.Scope scope = caller.openScope()) {
                result = template(context).send(topic, "order-1", "traced").join();
            } finally {
                caller.stop();
            }

            ConsumerRecord<byte[], byte[]> read = kafka.consume(topic, 1, Duration.ofSeconds(30)).get(0);
            Header traceparent = read.headers().lastHeader("traceparent");
            assertThat(traceparent).as("traceparent header").isNotNull();
            String[] parts = new String(traceparent.value(), StandardCharsets.UTF_8).split("-");
            assertThat(parts).hasSize(4);

            SpanData send = spanNamed(topic + " send");
            SpanData parent = spanNamed("http.server.request");
            assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
            assertThat(parts[1]).isEqualTo(send.getTraceId()).isEqualTo(parent.getTraceId());
            assertThat(parts[2]).isEqualTo(send.getSpanId());
            assertThat(send.getParentSpanId()).isEqualTo(parent.getSpanId());
            assertThat(send.getAttributes().asMap()).extractingByKey(
                    io.opentelemetry.api.common.AttributeKey.stringKey("messaging.kafka.message.offset"))
                    .isEqualTo(Long.toString(result.recordMetadata().offset()));
            assertThat(result.producerRecord().headers()).singleElement()
                    .satisfies(header -> assertThat(header.key()).isEqualTo("traceparent"));
            assertThat(new String(read.value(), StandardCharsets.UTF_8)).isEqualTo("traced");
        });
    }

    @Test
    void theCallersOwnHeadersAreKeptAndAStaleTraceparentIsReplaced() {
        String topic = kafka.uniqueTopic("traced-forwarded");
        kafka.createTopic(topic, 1, 1);
        ObservationRegistry registry = tracingRegistry();
        runner.withBean(ObservationRegistry.class, () -> registry).run(context -> {
            String stale = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
            List<dev.courier.producer.Header> headers = List.of(
                    new dev.courier.producer.Header("traceparent", stale.getBytes(StandardCharsets.UTF_8)),
                    new dev.courier.producer.Header("tenant", "acme".getBytes(StandardCharsets.UTF_8)));
            template(context).send(new dev.courier.producer.ProducerRecord<>(topic, null, null, "k", "v", headers))
                    .join();

            ConsumerRecord<byte[], byte[]> read = kafka.consume(topic, 1, Duration.ofSeconds(30)).get(0);
            assertThat(read.headers().headers("traceparent")).hasSize(1);
            String written = new String(read.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8);
            assertThat(written).isNotEqualTo(stale).contains(spanNamed(topic + " send").getSpanId());
            assertThat(new String(read.headers().lastHeader("tenant").value(), StandardCharsets.UTF_8))
                    .isEqualTo("acme");
        });
    }

    @Test
    void withoutATracerNoHeaderIsAdded() {
        String topic = kafka.uniqueTopic("untraced");
        kafka.createTopic(topic, 1, 1);
        ObservationRegistry registry = ObservationRegistry.create();
        List<Observation.Context> observed = new java.util.concurrent.CopyOnWriteArrayList<>();
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onStop(Observation.Context context) {
                observed.add(context);
            }
        });
        runner.withBean(ObservationRegistry.class, () -> registry).run(context -> {
            SendResult<String, String> result = template(context).send(topic, "k", "plain").join();

            ConsumerRecord<byte[], byte[]> read = kafka.consume(topic, 1, Duration.ofSeconds(30)).get(0);
            assertThat(read.headers().toArray()).isEmpty();
            assertThat(result.producerRecord().headers()).isEmpty();
            assertThat(observed).as("the send was still observed").hasSize(1);
        });
    }

    /** As Spring Boot's tracing auto-configuration wires it: the propagating sender handler first. */
    private ObservationRegistry tracingRegistry() {
        OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        io.opentelemetry.api.trace.Tracer otelTracer = openTelemetry.getTracer("courier-tests");
        OtelCurrentTraceContext currentTraceContext = new OtelCurrentTraceContext();
        OtelTracer tracer = new OtelTracer(otelTracer, currentTraceContext, event -> { },
                new OtelBaggageManager(currentTraceContext, List.of(), List.of()));
        OtelPropagator propagator = new OtelPropagator(openTelemetry.getPropagators(), otelTracer);
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));
        return registry;
    }

    private SpanData spanNamed(String name) {
        return spans.getFinishedSpanItems().stream().filter(span -> span.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans.getFinishedSpanItems()));
    }

    @SuppressWarnings("unchecked")
    private static ProducerTemplate<String, String> template(ApplicationContext context) {
        return context.getBean(ProducerTemplate.class);
    }
}
