package dev.courier.benchmarks.perf;

import dev.courier.producer.CourierProducer;
import dev.courier.producer.ProducerRecord;
import dev.courier.producer.serialization.ByteArraySerializer;
import dev.courier.producer.spring.ProducerConfigCustomizer;
import dev.courier.producer.spring.ProducerTemplate;
import dev.courier.producer.spring.autoconfigure.CourierProducerAutoConfiguration;
import dev.courier.producer.spring.autoconfigure.CourierProducerMetricsAutoConfiguration;
import dev.courier.producer.spring.autoconfigure.CourierProducerObservationAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One producer for one round of {@link TemplateOverhead}: the raw {@link CourierProducer}, or a
 * {@link ProducerTemplate} from a Spring context built by the starter's auto-configuration (with nothing else,
 * with a {@link MeterRegistry}, or with an {@link ObservationRegistry}). Same engine settings and serializers
 * (byte arrays) in every variant.
 */
abstract sealed class TemplateSession extends MeasuredSession {

    /** What sends the records. */
    enum Variant {
        RAW("raw engine"),
        RAW_FUTURE("raw engine, future"),
        TEMPLATE("template"),
        TEMPLATE_METERS("template + MeterRegistry"),
        TEMPLATE_OBSERVATION("template + ObservationRegistry");

        final String displayName;

        Variant(String displayName) {
            this.displayName = displayName;
        }
    }

    ProducerRecord<byte[], byte[]>[] records;

    TemplateSession(String clientId) {
        super(clientId);
    }

    static TemplateSession open(Variant variant, String bootstrapServers, Map<String, Object> settings,
                                String clientId) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put("bootstrap.servers", bootstrapServers);
        config.put("client.id", clientId);
        return switch (variant) {
            case RAW -> new Raw(config, clientId, false);
            case RAW_FUTURE -> new Raw(config, clientId, true);
            default -> new Template(variant, config, clientId);
        };
    }

    @Override
    List<String> threadNamePrefixes() {
        return List.of("courier-producer-network-" + clientId, "courier-producer-callbacks-" + clientId);
    }

    @Override
    @SuppressWarnings("unchecked")
    void prepare(String topic, byte[][] values) {
        records = new ProducerRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new ProducerRecord<>(topic, values[i]);
        }
    }

    /**
     * The engine on its own: with a callback, or (like an application that composes futures, as template users
     * do) through the returned future.
     */
    static final class Raw extends TemplateSession {
        private final CourierProducer<byte[], byte[]> producer;
        private final boolean viaFuture;

        Raw(Map<String, Object> config, String clientId, boolean viaFuture) {
            super(clientId);
            producer = new CourierProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
            this.viaFuture = viaFuture;
        }

        @Override
        int partitionsFor(String topic) {
            return producer.partitionsFor(topic).size();
        }

        @Override
        void send(int index, Ack ack) {
            if (viaFuture) {
                producer.send(records[index]).whenComplete(ack);
            } else {
                producer.send(records[index], ack);
            }
            records[index] = null;
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(30));
        }
    }

    /** The template as an application gets it: the future, completed at the acknowledgement, then the ack. */
    static final class Template extends TemplateSession {
        private final ConfigurableApplicationContext context;
        private final ProducerTemplate<byte[], byte[]> template;

        @SuppressWarnings("unchecked")
        Template(Variant variant, Map<String, Object> config, String clientId) {
            super(clientId);
            Class<?>[] sources = switch (variant) {
                case TEMPLATE_METERS -> new Class<?>[] {Minimal.class, WithMeters.class};
                case TEMPLATE_OBSERVATION -> new Class<?>[] {Minimal.class, WithObservations.class};
                default -> new Class<?>[] {Minimal.class};
            };
            context = new SpringApplicationBuilder(sources)
                    .web(WebApplicationType.NONE)
                    .bannerMode(Banner.Mode.OFF)
                    .logStartupInfo(false)
                    .registerShutdownHook(false)
                    .properties(Map.of(
                            "courier.producer.bootstrap-servers", String.valueOf(config.get("bootstrap.servers")),
                            "courier.producer.client-id", clientId,
                            "logging.config", "classpath:courier-bench-logback.xml"))
                    .initializers(ctx -> ctx.getBeanFactory().registerSingleton("benchSettings",
                            (ProducerConfigCustomizer) target -> target.putAll(config)))
                    .run();
            template = context.getBean(ProducerTemplate.class);
        }

        @Override
        int partitionsFor(String topic) {
            return context.getBean(dev.courier.producer.spring.ManagedProducer.class).producerFor(null)
                    .partitionsFor(topic).size();
        }

        @Override
        void send(int index, Ack ack) {
            template.send(records[index]).whenComplete(ack);
            records[index] = null;
        }

        @Override
        public void close() {
            context.close();
        }
    }

    /** The starter's core auto-configuration only, with byte-array serializers as in the raw variant. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(CourierProducerAutoConfiguration.class)
    static class Minimal {

        @Bean(CourierProducerAutoConfiguration.KEY_SERIALIZER_BEAN)
        ByteArraySerializer courierKeySerializer() {
            return new ByteArraySerializer();
        }

        @Bean(CourierProducerAutoConfiguration.VALUE_SERIALIZER_BEAN)
        ByteArraySerializer courierValueSerializer() {
            return new ByteArraySerializer();
        }
    }

    /** A registry as Actuator would provide one: the starter adds its engine meters and the send timer. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(CourierProducerMetricsAutoConfiguration.class)
    static class WithMeters {

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    /** An observation registry whose observations become timers, as Actuator sets it up; no send timer. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(CourierProducerObservationAutoConfiguration.class)
    static class WithObservations {

        @Bean
        ObservationRegistry observationRegistry() {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
            return registry;
        }
    }
}
