package dev.courier.producer.spring.autoconfigure;

import dev.courier.producer.spring.ManagedProducer;
import dev.courier.producer.spring.observation.SendObservations;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** A Micrometer Observation per send ({@link SendObservations}), when there is an {@link ObservationRegistry}. */
@AutoConfiguration(after = CourierProducerAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean({ObservationRegistry.class, ManagedProducer.class})
public final class CourierProducerObservationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SendObservations courierSendObservations(ManagedProducer<?, ?> producer, ObservationRegistry registry) {
        return new SendObservations(registry, producer.clientId());
    }
}
