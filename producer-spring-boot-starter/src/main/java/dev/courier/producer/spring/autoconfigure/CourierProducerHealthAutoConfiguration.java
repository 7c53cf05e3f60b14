package dev.courier.producer.spring.autoconfigure;

import dev.courier.producer.ProducerConfig;
import dev.courier.producer.spring.ManagedProducer;
import dev.courier.producer.spring.health.ProducerHealthIndicator;
import java.time.Duration;
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

    private static final long DEFAULT_METADATA_MAX_AGE_MS = 300_000;

    @Bean
    @ConditionalOnMissingBean(name = "courierHealthIndicator")
    ProducerHealthIndicator courierHealthIndicator(ManagedProducer<?, ?> producer, CourierProducerProperties properties) {
        return new ProducerHealthIndicator(producer, staleAfter(properties));
    }

    /** metadata.max.age.ms (how often a healthy producer refreshes) plus one request timeout of slack. */
    static Duration staleAfter(CourierProducerProperties properties) {
        long maxAgeMs = DEFAULT_METADATA_MAX_AGE_MS;
        String raw = properties.getProperties().get(ProducerConfig.METADATA_MAX_AGE_MS);
        if (raw != null) {
            try {
                maxAgeMs = Long.parseLong(raw.trim());
            } catch (NumberFormatException e) {
                // the producer itself rejects the value at startup
            }
        }
        Duration requestTimeout = properties.getRequestTimeout() != null ? properties.getRequestTimeout()
                : Duration.ofSeconds(30);
        return Duration.ofMillis(maxAgeMs).plus(requestTimeout);
    }
}
