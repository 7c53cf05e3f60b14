package dev.courier.producer.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.errors.ProducerClosedException;
import dev.courier.producer.spring.autoconfigure.CourierProducerAutoConfiguration;
import dev.courier.producer.spring.autoconfigure.CourierProducerHealthAutoConfiguration;
import dev.courier.producer.spring.autoconfigure.CourierProducerMetricsAutoConfiguration;
import dev.courier.producer.spring.autoconfigure.CourierProducerObservationAutoConfiguration;
import dev.courier.producer.spring.health.ProducerHealthIndicator;
import dev.courier.producer.spring.metrics.SendTimer;
import dev.courier.test.EmbeddedKafka;
import dev.courier.test.EmbeddedKafkaCluster;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.awaitility.Awaitility.await;

/** The starter against a real broker; the official consumer reads back what the template published. */
@EmbeddedKafkaCluster
class ProducerTemplateIntegrationTests {

    private static final Logger log = LoggerFactory.getLogger(ProducerTemplateIntegrationTests.class);

    private final EmbeddedKafka kafka;
    private final ApplicationContextRunner runner;

    ProducerTemplateIntegrationTests(EmbeddedKafka kafka) {
        this.kafka = kafka;
        this.runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CourierProducerAutoConfiguration.class,
                        CourierProducerMetricsAutoConfiguration.class, CourierProducerObservationAutoConfiguration.class,
                        CourierProducerHealthAutoConfiguration.class))
                .withPropertyValues("courier.producer.bootstrap-servers=" + kafka.bootstrapServers());
    }

    /** A long linger and a large batch: records stay in the accumulator until a flush or close sends them. */
    private static final String[] LONG_LINGER = {"courier.producer.linger=60s", "courier.producer.batch-size=1MB",
            "courier.producer.delivery-timeout=3m"};

    @SuppressWarnings("unchecked")
    private static ProducerTemplate<String, String> template(org.springframework.context.ApplicationContext context) {
        return context.getBean(ProducerTemplate.class);
    }

    @Test
    void theTemplatePublishesAndTheOfficialConsumerReadsItBack() {
        String topic = kafka.uniqueTopic("template");
        kafka.createTopic(topic, 3, 1);
        runner.withPropertyValues("courier.producer.default-topic=" + topic).run(context -> {
            ProducerTemplate<String, String> template = template(context);
            SendResult<String, String> keyed = template.send(topic, "order-1", "created").join();
            SendResult<String, String> toPartition = template.send(topic, 2, "order-2", "paid").join();
            SendResult<String, String> byDefault = template.sendDefault("order-3", "shipped").join();

            assertThat(keyed.recordMetadata().topic()).isEqualTo(topic);
            assertThat(keyed.producerRecord().value()).isEqualTo("created");
            assertThat(toPartition.recordMetadata().partition()).isEqualTo(2);
            assertThat(byDefault.recordMetadata().offset()).isGreaterThanOrEqualTo(0);

            Map<String, String> read = kafka.consume(topic, 3, Duration.ofSeconds(30)).stream()
                    .collect(Collectors.toMap(r -> text(r.key()), r -> text(r.value())));
            assertThat(read).containsOnly(Map.entry("order-1", "created"), Map.entry("order-2", "paid"),
                    Map.entry("order-3", "shipped"));
        });
    }

    @Test
    void aGracefulShutdownDeliversEveryPendingRecord() {
        String topic = kafka.uniqueTopic("graceful");
        kafka.createTopic(topic, 3, 1);
        int count = 10_000;
        runner.withPropertyValues(LONG_LINGER).run(context -> {
            ProducerTemplate<String, String> template = template(context);
            List<CompletableFuture<SendResult<String, String>>> futures = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                futures.add(template.send(topic, "k" + i, "v" + i));
            }
            assertThat(futures).anySatisfy(future -> assertThat(future).isNotDone());

            long startNs = System.nanoTime();
            context.close();
            log.info("Graceful shutdown with {} records pending took {} ms", count,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));

            assertThat(futures).allSatisfy(future -> assertThat(future).isCompletedWithValueMatching(
                    result -> result.recordMetadata().offset() >= 0));
        });
        List<ConsumerRecord<byte[], byte[]>> records = kafka.consume(topic, count, Duration.ofSeconds(60));
        assertThat(records).hasSize(count);
    }

    @Test
    void aForcedShutdownFailsEveryPendingFutureWithoutWaitingForTheLinger() {
        String topic = kafka.uniqueTopic("forced");
        kafka.createTopic(topic, 3, 1);
        int count = 10_000;
        runner.withPropertyValues(LONG_LINGER).withPropertyValues("courier.producer.shutdown.mode=forced").run(context -> {
            ProducerTemplate<String, String> template = template(context);
            // Metadata known, so the records below sit in batches instead of waiting for it; flush skips the linger.
            CompletableFuture<SendResult<String, String>> warmUp = template.send(topic, "warm-up");
            template.flush();
            warmUp.join();
            List<CompletableFuture<SendResult<String, String>>> futures = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                futures.add(template.send(topic, "k" + i, "v" + i));
            }

            long startNs = System.nanoTime();
            context.close();
            log.info("Forced shutdown with {} records pending took {} ms", count,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));

            assertThat(futures).allSatisfy(future -> assertThatThrownBy(future::join)
                    .isInstanceOf(CompletionException.class).hasCauseInstanceOf(ProducerClosedException.class));
        });
    }

    @Test
    void aSendAfterShutdownFailsClearly() {
        String topic = kafka.uniqueTopic("after-shutdown");
        kafka.createTopic(topic, 1, 1);
        runner.run(context -> {
            ProducerTemplate<String, String> template = template(context);
            template.send(topic, "before").join();
            context.close();
            assertThatThrownBy(() -> template.send(topic, "after"))
                    .isInstanceOf(ProducerStoppedException.class)
                    .hasMessageContaining("is shut down")
                    .hasMessageContaining(topic);
        });
    }

    /** A registry configured the way Boot's {@code management.metrics.distribution.percentiles} configures one. */
    private static MeterRegistry registryWithSendLatencyPercentiles() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                return id.getName().equals(SendTimer.NAME)
                        ? DistributionStatisticConfig.builder().percentiles(0.5, 0.99).build().merge(config)
                        : config;
            }
        });
        return registry;
    }

    @Test
    void metersAppearInASimpleMeterRegistry() {
        String topic = kafka.uniqueTopic("meters");
        kafka.createTopic(topic, 2, 1);
        runner.withBean(MeterRegistry.class, ProducerTemplateIntegrationTests::registryWithSendLatencyPercentiles)
                .withPropertyValues("courier.producer.client-id=metered").run(context -> {
                    ProducerTemplate<String, String> template = template(context);
                    List<CompletableFuture<SendResult<String, String>>> futures = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        futures.add(template.send(topic, "v" + i));
                    }
                    futures.forEach(CompletableFuture::join);

                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("courier.producer.record.send.total").tag("client.id", "metered")
                            .functionCounter().count()).isEqualTo(20);
                    assertThat(registry.get("courier.producer.request.total").functionCounter().count()).isPositive();
                    Timer timer = registry.get("courier.producer.send.latency").tag("topic", topic)
                            .tag("outcome", "success").timer();
                    assertThat(timer.count()).isEqualTo(20);
                    assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isPositive();
                    // the registry's distribution configuration applies (what Boot's
                    // management.metrics.distribution.percentiles.* sets)
                    assertThat(timer.takeSnapshot().percentileValues()).hasSize(2);
                    log.info("Meters: {}", registry.getMeters().stream().map(m -> m.getId().getName()).distinct()
                            .sorted().collect(Collectors.joining(", ")));
                });
    }

    @Test
    void eachSendIsObservedUntilTheAcknowledgement() {
        String topic = kafka.uniqueTopic("observed");
        kafka.createTopic(topic, 1, 1);
        List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onStop(Observation.Context context) {
                stopped.add(context);
            }
        });
        runner.withBean(ObservationRegistry.class, () -> registry).run(context -> {
            SendResult<String, String> result = template(context).send(topic, "watched").join();

            assertThat(stopped).singleElement().satisfies(observation -> {
                assertThat(observation.getName()).isEqualTo("courier.producer.send");
                assertThat(observation.getLowCardinalityKeyValues())
                        .contains(KeyValue.of("messaging.destination.name", topic));
                assertThat(observation.getHighCardinalityKeyValues()).contains(
                        KeyValue.of("messaging.kafka.destination.partition", "0"),
                        KeyValue.of("messaging.kafka.message.offset",
                                Long.toString(result.recordMetadata().offset())));
                assertThat(observation.getError()).isNull();
            });
        });
    }

    @Test
    void theHealthIndicatorIsUpOnceABrokerAnswered() {
        runner.run(context -> {
            ProducerHealthIndicator health = context.getBean(ProducerHealthIndicator.class);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(health.health().getStatus()).isEqualTo(Status.UP));
            assertThat(health.health().getDetails()).containsEntry("brokers", 1);
        });
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
