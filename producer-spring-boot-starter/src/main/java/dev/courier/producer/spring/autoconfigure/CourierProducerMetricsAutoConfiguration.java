package dev.courier.producer.spring.autoconfigure;

import dev.courier.producer.spring.ManagedProducer;
import dev.courier.producer.spring.metrics.EventMetersCustomizer;
import dev.courier.producer.spring.metrics.ProducerEventMeters;
import dev.courier.producer.spring.metrics.ProducerMeters;
import dev.courier.producer.spring.metrics.SendTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters for the producer, when the application has a {@link MeterRegistry}: the engine's
 * metrics ({@link ProducerMeters}), counters and delivery-timing timers bound to its event listener
 * ({@link ProducerEventMeters}), and a send-to-acknowledgement timer ({@link SendTimer}), which the
 * template picks up as a {@link dev.courier.producer.spring.SendObserver}. The core wiring knows nothing
 * of Micrometer.
 */
@AutoConfiguration(after = CourierProducerAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({MeterRegistry.class, ManagedProducer.class})
public final class CourierProducerMetricsAutoConfiguration {

    /**
     * Bound here rather than as a {@code MeterBinder}, so a plain registry bean gets the meters too, exactly once.
     * The metrics the event meters count are left to them.
     */
    @Bean
    @ConditionalOnMissingBean
    ProducerMeters courierProducerMeters(ManagedProducer<?, ?> producer, MeterRegistry registry,
                                         ObjectProvider<EventMetersCustomizer> eventMeters) {
        EventMetersCustomizer events = eventMeters.getIfAvailable();
        ProducerMeters meters = new ProducerMeters(producer, Tags.empty(), events != null && events.applied()
                ? ProducerEventMeters.REPLACED_METRICS : Set.of());
        meters.bindTo(registry);
        return meters;
    }

    /**
     * Binds the event-shaped meters (retries, splits, epoch bumps, connections, batches, delivery timings) to the
     * engine's event listener. Must not depend on the producer: the producer's configuration asks for it.
     */
    @Bean
    @ConditionalOnMissingBean
    EventMetersCustomizer courierEventMetersCustomizer(ObjectProvider<MeterRegistry> registry) {
        return new EventMetersCustomizer(registry::getObject);
    }

    @Bean
    @ConditionalOnMissingBean
    SendTimer courierSendTimer(ManagedProducer<?, ?> producer, MeterRegistry registry) {
        return new SendTimer(registry, producer.clientId());
    }
}
