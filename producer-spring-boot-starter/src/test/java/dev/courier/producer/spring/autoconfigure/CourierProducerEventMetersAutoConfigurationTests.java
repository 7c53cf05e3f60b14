package dev.courier.producer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.ProducerConfig;
import dev.courier.producer.spring.ManagedProducer;
import dev.courier.producer.spring.ProducerConfigCustomizer;
import dev.courier.producer.spring.metrics.EventMetersCustomizer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** With a meter registry, the event-shaped meters are bound to the engine's event listener. */
class CourierProducerEventMetersAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CourierProducerAutoConfiguration.class,
                    CourierProducerMetricsAutoConfiguration.class))
            .withPropertyValues("courier.producer.bootstrap-servers=localhost:1", "courier.producer.client-id=ev");

    @Test
    void whenThereIsAMeterRegistryTheEventCountersAreRegisteredUnderTheirFormerNamesAndNewOnes() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasSingleBean(EventMetersCustomizer.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("courier.producer.record.retry.total").tag("client.id", "ev").counter().count())
                    .isZero();
            assertThat(registry.get("courier.producer.batch.split.total").meters()).singleElement()
                    .isInstanceOf(Counter.class);
            assertThat(registry.get("courier.producer.epoch.bump.total").counter().count()).isZero();
            assertThat(registry.get("courier.producer.connection.events").tag("event", "failed").counter()).isNotNull();
            assertThat(registry.get("courier.producer.record.send.total").functionCounter()).isNotNull();
            assertThat(registry.find("courier.producer.delivery.linger").timer()).as("timings are off").isNull();
        });
    }

    @Test
    void theDeliveryTimingsPropertyTurnsTheTimingsOnAndRegistersTheTimers() {
        AtomicReference<Map<String, Object>> seen = new AtomicReference<>();
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(ProducerConfigCustomizer.class, () -> config -> seen.set(config))
                .withPropertyValues("courier.producer.delivery-timings.enabled=true").run(context -> {
                    assertThat(context).hasNotFailed();
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    for (String phase : List.of("metadata.wait", "linger", "queue", "retry", "wire")) {
                        assertThat(registry.get("courier.producer.delivery." + phase).tag("client.id", "ev").timer()
                                .count()).isZero();
                    }
                    assertThat(registry.get("courier.producer.delivery.attempts").summary()).isNotNull();
                    assertThat(seen.get()).containsEntry(ProducerConfig.DELIVERY_TIMINGS_ENABLE, true);
                });
    }

    @Test
    void theRawPropertyTurnsTheTimersOnToo() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("courier.producer.properties[delivery.timings.enable]=true").run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.find("courier.producer.delivery.wire").timer()).isNotNull();
                });
    }

    @Test
    void listenersTheApplicationConfiguredAreKept() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("courier.producer.properties[event.listeners]="
                        + NoOpListener.class.getName()).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(ManagedProducer.class)).isNotNull();
                    assertThat(NoOpListener.created).isPositive();
                });
    }

    /** An application's own listener, named in the raw properties. */
    public static final class NoOpListener implements dev.courier.producer.ProducerEventListener {
        static volatile int created;

        public NoOpListener() {
            created++;
        }
    }
}
