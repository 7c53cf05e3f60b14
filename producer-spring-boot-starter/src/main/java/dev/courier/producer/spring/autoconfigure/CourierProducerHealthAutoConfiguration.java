package dev.courier.producer.spring.autoconfigure;

import dev.courier.producer.spring.ManagedProducer;
import dev.courier.producer.spring.health.ProducerHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code courier} health indicator ({@link ProducerHealthIndicator}) when Spring Boot's health support is
 * present; {@code management.health.courier.enabled=false} turns it off.
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
}
