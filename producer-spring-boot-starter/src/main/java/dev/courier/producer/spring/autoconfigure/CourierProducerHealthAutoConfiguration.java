package dev.courier.producer.spring.autoconfigure;

import dev.courier.producer.spring.ManagedProducer;
import dev.courier.producer.spring.health.ProducerHealthIndicator;
import dev.courier.producer.spring.health.TransactionalPoolHealthIndicator;
import dev.courier.producer.spring.transaction.TransactionalProducerPool;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code courier} health indicator ({@link ProducerHealthIndicator}) when Spring Boot's health support is
 * present, and {@code courierTransactions} ({@link TransactionalPoolHealthIndicator}) with a transactional template;
 * {@code management.health.courier.enabled=false} turns both off.
 */
@AutoConfiguration(after = CourierProducerAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(ManagedProducer.class)
@ConditionalOnEnabledHealthIndicator("courier")
public final class CourierProducerHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "courierHealthIndicator")
    ProducerHealthIndicator courierHealthIndicator(ManagedProducer<?, ?> producer) {
        return new ProducerHealthIndicator(producer);
    }

    /** {@code courierTransactions}: the transactional producer pool, when the template is transactional. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(TransactionalProducerPool.class)
    static class TransactionalPoolHealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "courierTransactionsHealthIndicator")
        TransactionalPoolHealthIndicator courierTransactionsHealthIndicator(TransactionalProducerPool<?, ?> pool) {
            return new TransactionalPoolHealthIndicator(pool);
        }
    }
}
