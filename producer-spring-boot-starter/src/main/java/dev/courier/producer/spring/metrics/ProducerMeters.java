package dev.courier.producer.spring.metrics;

import dev.courier.producer.Metric;
import dev.courier.producer.spring.ManagedProducer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.Set;

/**
 * Exposes the engine's metrics as meters named {@code courier.producer.<metric with dots>} (for example
 * {@code record-send-total} becomes {@code courier.producer.record.send.total}), tagged with
 * {@code client.id}. Counters become {@link FunctionCounter}s, everything else {@link Gauge}s. Values are
 * read live from the managed producer, so a restarted producer keeps its meters; while it is stopped they
 * read NaN.
 *
 * <p>Deliberately not a Micrometer {@code MeterBinder}: the auto-configuration binds it to the application's
 * registry itself (so a plain registry bean gets the meters), and Spring Boot's own binding of
 * {@code MeterBinder} beans would register everything a second time.
 */
public final class ProducerMeters {

    /** Prefix of every meter name. */
    public static final String PREFIX = "courier.producer.";

    private final ManagedProducer<?, ?> producer;
    private final Tags tags;
    private final Set<String> skipped;

    public ProducerMeters(ManagedProducer<?, ?> producer, Iterable<Tag> extraTags) {
        this(producer, extraTags, Set.of());
    }

    /** @param skipped engine metrics not to bind, because {@link ProducerEventMeters} counts them from events */
    public ProducerMeters(ManagedProducer<?, ?> producer, Iterable<Tag> extraTags, Set<String> skipped) {
        this.producer = producer;
        this.tags = Tags.of("client.id", producer.clientId()).and(extraTags);
        this.skipped = skipped;
    }

    /** Registers one meter per engine metric with {@code registry}. */
    public void bindTo(MeterRegistry registry) {
        for (Metric metric : producer.metrics().values()) {
            if (skipped.contains(metric.name())) {
                continue;
            }
            String name = meterName(metric.name());
            String metricName = metric.name();
            if (metric.kind() == Metric.Kind.COUNTER) {
                FunctionCounter.builder(name, producer, p -> value(p, metricName))
                        .description(metric.description()).tags(tags).register(registry);
            } else {
                Gauge.builder(name, producer, p -> value(p, metricName))
                        .description(metric.description()).tags(tags).register(registry);
            }
        }
    }

    /** {@code record-send-total} -> {@code courier.producer.record.send.total}. */
    public static String meterName(String metricName) {
        return PREFIX + metricName.replace('-', '.');
    }

    private static double value(ManagedProducer<?, ?> producer, String metricName) {
        Map<String, Metric> metrics = producer.metrics();
        Metric metric = metrics.get(metricName);
        return metric == null ? Double.NaN : metric.value();
    }
}
