package dev.courier.producer.spring;

import java.util.Map;

/**
 * Adjusts the Kafka producer configuration the starter built from {@code courier.producer.*}, just before
 * the producer is created. Customizer beans run in {@link org.springframework.core.Ordered order}, after
 * the typed properties and the raw {@code properties} map have been applied, so they have the last word.
 */
@FunctionalInterface
public interface ProducerConfigCustomizer {

    /** Changes {@code config} (Kafka keys such as {@code linger.ms}) in place. */
    void customize(Map<String, Object> config);
}
