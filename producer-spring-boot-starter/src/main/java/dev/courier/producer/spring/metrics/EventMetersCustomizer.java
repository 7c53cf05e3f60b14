package dev.courier.producer.spring.metrics;

import dev.courier.producer.ProducerConfig;
import dev.courier.producer.spring.ProducerConfigCustomizer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.core.Ordered;

/**
 * Adds a {@link ProducerEventMeters} to the producer's {@code event.listeners}, last of the customizers so it sees
 * the final {@code client.id} and {@code delivery.timings.enable}. Remembers that it did, so that
 * {@link ProducerMeters} leaves the metrics these meters replace to them.
 */
public final class EventMetersCustomizer implements ProducerConfigCustomizer, Ordered {

    private final Supplier<MeterRegistry> registry;
    private volatile boolean applied;

    public EventMetersCustomizer(Supplier<MeterRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public void customize(Map<String, Object> config) {
        Object timingsEnable = config.get(ProducerConfig.DELIVERY_TIMINGS_ENABLE);
        boolean timings = Boolean.parseBoolean(String.valueOf(timingsEnable).trim());
        ProducerEventMeters meters = new ProducerEventMeters(registry.get(),
                Tags.of("client.id", String.valueOf(config.get(ProducerConfig.CLIENT_ID))), timings);
        Object existing = config.get(ProducerConfig.EVENT_LISTENERS);
        List<Object> listeners = new ArrayList<>();
        if (existing instanceof Collection<?> collection) {
            listeners.addAll(collection);
        } else if (existing != null) {
            listeners.add(existing);
        }
        listeners.add(meters);
        config.put(ProducerConfig.EVENT_LISTENERS, listeners);
        applied = true;
    }

    /** Whether a producer configuration got the event meters. */
    public boolean applied() {
        return applied;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
