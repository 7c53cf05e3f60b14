package dev.courier.producer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.producer.ProducerStatus;
import dev.courier.producer.spring.ManagedProducer;
import dev.courier.producer.spring.ProducerConfigCustomizer;
import dev.courier.producer.spring.health.ProducerHealthIndicator;
import dev.courier.producer.spring.metrics.ProducerMeters;
import dev.courier.producer.spring.metrics.SendTimer;
import dev.courier.producer.spring.observation.SendObservations;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The optional auto-configurations switch on with their registries and back off without them. */
class CourierProducerObservabilityAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CourierProducerAutoConfiguration.class,
                    CourierProducerMetricsAutoConfiguration.class, CourierProducerObservationAutoConfiguration.class,
                    CourierProducerHealthAutoConfiguration.class))
            .withPropertyValues("courier.producer.bootstrap-servers=localhost:1", "courier.producer.client-id=obs");

    @Test
    void whenThereIsNoMeterRegistryThenMetricsBackOff() {
        runner.run(context -> assertThat(context).doesNotHaveBean(ProducerMeters.class)
                .doesNotHaveBean(SendTimer.class));
    }

    @Test
    void whenThereIsAMeterRegistryTheEnginesMetricsBecomeMetersTaggedWithTheClientId() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasSingleBean(ProducerMeters.class).hasSingleBean(SendTimer.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("courier.producer.record.send.total").tag("client.id", "obs").functionCounter()
                    .count()).isZero();
            assertThat(registry.get("courier.producer.buffer.total.bytes").gauge().value()).isEqualTo(32 * 1024 * 1024);
            assertThat(registry.find("courier.producer.request.latency.avg").gauge()).isNotNull();
        });
    }

    @Test
    void whenThereIsNoObservationRegistryThenObservationsBackOff() {
        runner.run(context -> assertThat(context).doesNotHaveBean(SendObservations.class));
    }

    @Test
    void whenThereIsAnObservationRegistryEachSendIsObserved() {
        runner.withBean(ObservationRegistry.class, ObservationRegistry::create)
                .run(context -> assertThat(context).hasSingleBean(SendObservations.class));
    }

    @Test
    void theHealthIndicatorIsUnknownUntilABrokerAnswers() throws IOException {
        // Accepts connections (the backlog) but never answers, and the request timeout is long: the producer has
        // neither metadata nor a failed connection while the test runs. Forced shutdown: a graceful one would wait
        // for the unanswered request.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            runner.withPropertyValues("courier.producer.bootstrap-servers=127.0.0.1:" + silent.getLocalPort(),
                    "courier.producer.request-timeout=10m", "courier.producer.shutdown.mode=forced")
                    .run(context -> {
                        assertThat(context).hasBean("courierHealthIndicator");
                        Health health = context.getBean(ProducerHealthIndicator.class).health();
                        assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
                        assertThat(health.getDetails()).containsEntry("clientId", "obs");
                    });
        }
    }

    @Test
    void theHealthIndicatorIsDownNamingTheAddressOnceEveryBootstrapAddressRefused() {
        runner.run(context -> {
            ProducerHealthIndicator indicator = context.getBean(ProducerHealthIndicator.class);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Health health = indicator.health();
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(health.getDetails()).containsEntry("unreachable", List.of("localhost:1"));
            });
        });
    }

    @Test
    void theHealthIndicatorIsDownOnceTheProducerIsStopped() {
        runner.run(context -> {
            context.stop();
            assertThat(context.getBean(ProducerHealthIndicator.class).health().getStatus()).isEqualTo(Status.DOWN);
        });
    }

    @Test
    void theHealthIndicatorCanBeTurnedOff() {
        runner.withPropertyValues("management.health.courier.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(ProducerHealthIndicator.class));
    }

    @Test
    void metadataIsStaleAfterItsMaximumAgePlusARequestTimeout() {
        runner.withPropertyValues("courier.producer.properties.metadata.max.age.ms=60000",
                "courier.producer.request-timeout=5s").run(context ->
                assertThat(staleAfter(context)).isEqualTo(Duration.ofSeconds(65)));
    }

    @Test
    void stalenessUsesTheEnginesResolvedValuesHoweverTheyWereSet() {
        runner.run(context -> assertThat(staleAfter(context)).isEqualTo(Duration.ofSeconds(330)));
        runner.withPropertyValues("courier.producer.properties.request.timeout.ms=5000")
                .withBean(ProducerConfigCustomizer.class, () -> config -> config.put("metadata.max.age.ms", 60_000))
                .run(context -> assertThat(staleAfter(context)).isEqualTo(Duration.ofSeconds(65)));
    }

    private static Duration staleAfter(AssertableApplicationContext context) {
        ManagedProducer<?, ?> producer = context.getBean(ManagedProducer.class);
        ProducerStatus status = producer.status().orElseThrow();
        return ProducerHealthIndicator.staleAfter(status);
    }
}
