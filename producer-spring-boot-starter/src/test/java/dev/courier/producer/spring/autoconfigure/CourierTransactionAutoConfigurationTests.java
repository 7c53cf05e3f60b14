package dev.courier.producer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.spring.ProducerTemplate;
import dev.courier.producer.spring.TemplateTransactions;
import dev.courier.producer.spring.transaction.CourierTransactionManager;
import dev.courier.producer.spring.transaction.TransactionalProducerPool;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/** Which transaction beans exist, and with what settings; no broker (the pool creates producers lazily). */
class CourierTransactionAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CourierProducerAutoConfiguration.class))
            .withPropertyValues("courier.producer.bootstrap-servers=localhost:1");

    @Test
    void withoutAPrefixThereIsNoTransactionSupportAndTheTemplateIsPlain() {
        runner.run(context -> {
            assertThat(context).doesNotHaveBean(TransactionalProducerPool.class)
                    .doesNotHaveBean(TemplateTransactions.class)
                    .doesNotHaveBean(PlatformTransactionManager.class);
            ProducerTemplate<?, ?> template = context.getBean(ProducerTemplate.class);
            assertThat(template.isTransactional()).isFalse();
            assertThatThrownBy(() -> template.executeInTransaction(operations -> null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("courier.producer.transaction-id-prefix");
        });
    }

    @Test
    void aPrefixAddsThePoolTheTransactionManagerAndATransactionalTemplateWithDefaults() {
        runner.withPropertyValues("courier.producer.transaction-id-prefix=orders-tx-").run(context -> {
            assertThat(context).hasSingleBean(CourierTransactionManager.class)
                    .hasSingleBean(PlatformTransactionManager.class);
            TransactionalProducerPool<?, ?> pool = context.getBean(TransactionalProducerPool.class);
            assertThat(pool.transactionIdPrefix()).isEqualTo("orders-tx-");
            assertThat(pool.size()).isEqualTo(10);
            assertThat(pool.createdCount()).isZero();
            assertThat(context.getBean(ProducerTemplate.class).isTransactional()).isTrue();
            CourierProducerProperties properties = context.getBean(CourierProducerProperties.class);
            assertThat(properties.getTransactionProducerMaxAge()).isEqualTo(Duration.ofMinutes(5));
            assertThat(properties.isAllowNonTransactional()).isFalse();
        });
    }

    @Test
    void thePoolSizeIsBound() {
        runner.withPropertyValues("courier.producer.transaction-id-prefix=tx-",
                "courier.producer.transaction-pool-size=3").run(context ->
                assertThat(context.getBean(TransactionalProducerPool.class).size()).isEqualTo(3));
    }

    @Test
    void aBadPoolSizeFailsStartup() {
        runner.withPropertyValues("courier.producer.transaction-id-prefix=tx-",
                "courier.producer.transaction-pool-size=0").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("transaction-pool-size"));
    }

    @Test
    void aConfigurationTransactionsCannotUseFailsStartupNamingTheProperty() {
        runner.withPropertyValues("courier.producer.transaction-id-prefix=tx-",
                "courier.producer.enable-idempotence=false").run(context ->
                assertThat(context).hasFailed().getFailure()
                        .hasRootCauseInstanceOf(dev.courier.producer.errors.ConfigException.class)
                        .rootCause().hasMessageContaining("enable.idempotence"));
    }

    @Test
    void theTransactionManagerBacksOffForTheApplicationsOwn() {
        runner.withPropertyValues("courier.producer.transaction-id-prefix=tx-")
                .withUserConfiguration(OwnTransactionManager.class).run(context -> {
                    assertThat(context).hasSingleBean(CourierTransactionManager.class);
                    assertThat(context).hasBean("myTransactionManager").doesNotHaveBean("courierTransactionManager");
                });
    }

    @Test
    void withoutSpringTxTheTransactionBeansAreLeftOut() {
        runner.withPropertyValues("courier.producer.transaction-id-prefix=tx-")
                .withClassLoader(new FilteredClassLoader(PlatformTransactionManager.class)).run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(TransactionalProducerPool.class);
                    assertThat(context.getBean(ProducerTemplate.class).isTransactional()).isFalse();
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnTransactionManager {

        @Bean
        CourierTransactionManager myTransactionManager(TransactionalProducerPool<?, ?> pool) {
            return new CourierTransactionManager(pool);
        }
    }
}
