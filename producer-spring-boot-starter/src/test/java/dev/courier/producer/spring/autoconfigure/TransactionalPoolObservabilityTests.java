package dev.courier.producer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import dev.courier.producer.Producer;
import dev.courier.producer.spring.ShutdownMode;
import dev.courier.producer.spring.health.TransactionalPoolHealthIndicator;
import dev.courier.producer.spring.metrics.TransactionalPoolMeters;
import dev.courier.producer.spring.transaction.TransactionalProducerPool;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The transactional producer pool's meters and health indicator: there with a transactional template, absent
 * without, and reading the pool live. No broker: the pool here creates mock producers.
 */
class TransactionalPoolObservabilityTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CourierProducerAutoConfiguration.class,
                    CourierProducerMetricsAutoConfiguration.class, CourierProducerHealthAutoConfiguration.class))
            .withPropertyValues("courier.producer.bootstrap-servers=localhost:1");

    @Test
    void withoutATransactionalTemplateThereAreNoPoolMetersOrHealth() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).doesNotHaveBean(TransactionalPoolMeters.class)
                    .doesNotHaveBean(TransactionalPoolHealthIndicator.class);
            assertThat(context.getBean(MeterRegistry.class).find(TransactionalPoolMeters.PREFIX + "size").gauge())
                    .isNull();
        });
    }

    @Test
    void thePoolsMetersReadItLiveTaggedWithThePrefix() {
        runner.withPropertyValues("courier.producer.transaction-id-prefix=orders-tx-")
                .withUserConfiguration(MockPool.class)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    TransactionalProducerPool<String, String> pool = MockPool.of(context.getBean(
                            TransactionalProducerPool.class));
                    assertThat(gauge(registry, "size")).isEqualTo(2);
                    assertThat(gauge(registry, "in.use")).isZero();

                    TransactionalProducerPool.PooledProducer<String, String> first = pool.acquire();
                    TransactionalProducerPool.PooledProducer<String, String> second = pool.acquire();
                    pool.release(first, true);
                    pool.release(second, false);

                    assertThat(gauge(registry, "idle")).isEqualTo(1);
                    assertThat(gauge(registry, "in.use")).isZero();
                    assertThat(counter(registry, "created")).isEqualTo(2);
                    assertThat(counter(registry, "discarded")).isEqualTo(1);
                    assertThat(counter(registry, "reinitialised")).isZero();
                });
    }

    @Test
    void theHealthIndicatorShowsTheCountsAndIsDownOnceThePoolIsShutDown() {
        runner.withPropertyValues("courier.producer.transaction-id-prefix=orders-tx-")
                .withUserConfiguration(MockPool.class).run(context -> {
                    TransactionalPoolHealthIndicator indicator = context.getBean("courierTransactionsHealthIndicator",
                            TransactionalPoolHealthIndicator.class);
                    TransactionalProducerPool<String, String> pool = MockPool.of(context.getBean(
                            TransactionalProducerPool.class));
                    pool.acquire();

                    Health health = indicator.health();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails()).containsEntry("transactionIdPrefix", "orders-tx-")
                            .containsEntry("size", 2).containsEntry("inUse", 1).containsEntry("idle", 0)
                            .containsEntry("created", 1L).containsEntry("reinitialised", 0L)
                            .containsEntry("discarded", 0L);

                    pool.stop();
                    assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
                });
    }

    @Test
    void theCourierHealthSwitchTurnsThePoolsIndicatorOffToo() {
        runner.withPropertyValues("courier.producer.transaction-id-prefix=orders-tx-",
                "management.health.courier.enabled=false").withUserConfiguration(MockPool.class)
                .run(context -> assertThat(context).doesNotHaveBean(TransactionalPoolHealthIndicator.class));
    }

    private static double gauge(MeterRegistry registry, String name) {
        return registry.get(TransactionalPoolMeters.PREFIX + name).tag("transaction.id.prefix", "orders-tx-").gauge()
                .value();
    }

    private static double counter(MeterRegistry registry, String name) {
        return registry.get(TransactionalPoolMeters.PREFIX + name).tag("transaction.id.prefix", "orders-tx-")
                .functionCounter().count();
    }

    /** A pool of two whose producers are mocks, in place of the auto-configured one. */
    @Configuration(proxyBeanMethods = false)
    static class MockPool {

        @Bean
        @SuppressWarnings("unchecked")
        TransactionalProducerPool<String, String> pool() {
            return new TransactionalProducerPool<>(id -> mock(Producer.class), "orders-tx-", 2, Duration.ofMinutes(5),
                    Duration.ofSeconds(1), ShutdownMode.GRACEFUL, Duration.ofSeconds(1));
        }

        @SuppressWarnings("unchecked")
        static TransactionalProducerPool<String, String> of(TransactionalProducerPool<?, ?> pool) {
            return (TransactionalProducerPool<String, String>) pool;
        }
    }
}
