package dev.courier.benchmarks.perf;

import dev.courier.producer.CourierProducer;
import dev.courier.producer.ProducerRecord;
import dev.courier.producer.spring.ProducerConfigCustomizer;
import dev.courier.producer.spring.ProducerTemplate;
import dev.courier.producer.spring.SendResult;
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
import java.util.concurrent.CompletableFuture;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.metrics.KafkaMetricsAutoConfiguration;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One producer for one round of {@link TemplateOverhead}: the raw {@link CourierProducer}, or a
 * {@link ProducerTemplate} from a Spring context built by the starter's auto-configuration (with nothing else,
 * with a {@link MeterRegistry}, with an {@link ObservationRegistry}, or with a tracer over that registry). Same engine settings and serializers
 * (byte arrays) in every variant.
 */
abstract sealed class TemplateSession extends MeasuredSession {

    /** What sends the records. */
    enum Variant {
        RAW("raw engine"),
        RAW_FUTURE("raw engine, future"),
        TEMPLATE("template"),
        TEMPLATE_METERS("template + MeterRegistry"),
        TEMPLATE_OBSERVATION("template + ObservationRegistry"),
        TEMPLATE_TRACED("template + tracing (OTel)"),
        KAFKA_TEMPLATE("KafkaTemplate"),
        KAFKA_TEMPLATE_METERS("KafkaTemplate + MeterRegistry"),
        KAFKA_TEMPLATE_OBSERVATION("KafkaTemplate + ObservationRegistry"),
        KAFKA_TEMPLATE_TRACED("KafkaTemplate + tracing (OTel)");

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
        Map<String, Object> config = clientConfig(settings, bootstrapServers, clientId);
        return switch (variant) {
            case RAW -> new Raw(config, clientId, false);
            case RAW_FUTURE -> new Raw(config, clientId, true);
            case KAFKA_TEMPLATE, KAFKA_TEMPLATE_METERS, KAFKA_TEMPLATE_OBSERVATION, KAFKA_TEMPLATE_TRACED ->
                    new SpringKafkaTemplate(variant, config, clientId);
            case TEMPLATE_TRACED -> new TracedTemplate(config, clientId);
            default -> new Template(variant, config, clientId);
        };
    }

    @Override
    List<String> threadNamePrefixes() {
        return courierThreads(clientId);
    }

    @Override
    void prepare(String topic, byte[][] values) {
        records = courierRecords(topic, values);
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
            producer = new CourierProducer<>(config, new dev.courier.producer.serialization.ByteArraySerializer(),
                    new dev.courier.producer.serialization.ByteArraySerializer());
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
    static sealed class Template extends TemplateSession permits TracedTemplate {
        final ConfigurableApplicationContext context;
        final ProducerTemplate<byte[], byte[]> template;

        @SuppressWarnings("unchecked")
        Template(Variant variant, Map<String, Object> config, String clientId) {
            super(clientId);
            Class<?>[] sources = switch (variant) {
                case TEMPLATE_METERS -> new Class<?>[] {Minimal.class, WithMeters.class};
                case TEMPLATE_OBSERVATION -> new Class<?>[] {Minimal.class, WithObservations.class};
                case TEMPLATE_TRACED -> new Class<?>[] {Minimal.class, BenchTracing.class, CourierObservations.class};
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

    /**
     * The template with a tracer ({@link BenchTracing}): each send is a span, a child of one span open around the
     * round's sending loop (as a web request's would be), and its context is written into the record's headers
     * ({@code traceparent}).
     */
    static final class TracedTemplate extends Template {
        private final ObservationRegistry registry;
        private CompletableFuture<SendResult<byte[], byte[]>> lastSend;
        private String loopTraceId;

        TracedTemplate(Map<String, Object> config, String clientId) {
            super(Variant.TEMPLATE_TRACED, config, clientId);
            registry = context.getBean(ObservationRegistry.class);
        }

        @Override
        List<String> threadNamePrefixes() {
            List<String> threads = new java.util.ArrayList<>(courierThreads(clientId));
            threads.add(BenchTracing.SPAN_PROCESSOR_THREAD);
            return threads;
        }

        @Override
        void sendAll(long[] startNanos, Ack[] acks) {
            loopTraceId = BenchTracing.inLoopSpan(registry, () -> super.sendAll(startNanos, acks));
        }

        @Override
        void send(int index, Ack ack) {
            CompletableFuture<SendResult<byte[], byte[]>> sent = template.send(records[index]);
            sent.whenComplete(ack);
            lastSend = sent;
            records[index] = null;
        }

        /** The trace of the span around the last sending loop (for the smoke test). */
        String loopTraceId() {
            return loopTraceId;
        }

        /** Exports the spans ended so far and returns how many the exporter has seen (for the smoke test). */
        long flushSpans() {
            context.getBean(io.opentelemetry.sdk.trace.SdkTracerProvider.class).forceFlush()
                    .join(30, java.util.concurrent.TimeUnit.SECONDS);
            return context.getBean(BenchTracing.CountingSpanExporter.class).exported();
        }

        /** The outcome of the last record sent (for the smoke test: its headers). */
        CompletableFuture<SendResult<byte[], byte[]>> lastSend() {
            return lastSend;
        }
    }

    /**
     * spring-kafka's {@code KafkaTemplate} as Spring Boot's own auto-configuration builds it, over kafka-clients,
     * with the same producer settings and byte-array serializers: what a Spring user compares the template with.
     * With a {@link MeterRegistry} the template times each send and the client's metrics are bound (Boot's
     * {@code KafkaMetricsAutoConfiguration}); with an {@link ObservationRegistry}, template observations are on.
     */
    static final class SpringKafkaTemplate extends TemplateSession {
        private final ConfigurableApplicationContext context;
        private final KafkaTemplate<byte[], byte[]> template;
        private final boolean traced;
        private org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>[] kafkaRecords;

        @SuppressWarnings("unchecked")
        SpringKafkaTemplate(Variant variant, Map<String, Object> config, String clientId) {
            super(clientId);
            Class<?>[] sources = switch (variant) {
                case KAFKA_TEMPLATE_METERS -> new Class<?>[] {SpringKafkaMinimal.class, SpringKafkaMeters.class};
                case KAFKA_TEMPLATE_OBSERVATION -> new Class<?>[] {SpringKafkaMinimal.class, WithObservationRegistry.class};
                case KAFKA_TEMPLATE_TRACED -> new Class<?>[] {SpringKafkaMinimal.class, BenchTracing.class};
                default -> new Class<?>[] {SpringKafkaMinimal.class};
            };
            Map<String, Object> properties = new HashMap<>();
            properties.put("spring.kafka.bootstrap-servers", String.valueOf(config.get("bootstrap.servers")));
            properties.put("spring.kafka.producer.client-id", clientId);
            properties.put("spring.kafka.producer.key-serializer", ByteArraySerializer.class.getName());
            properties.put("spring.kafka.producer.value-serializer", ByteArraySerializer.class.getName());
            properties.put("spring.kafka.template.observation-enabled",
                    variant == Variant.KAFKA_TEMPLATE_OBSERVATION || variant == Variant.KAFKA_TEMPLATE_TRACED);
            properties.put("logging.config", "classpath:courier-bench-logback.xml");
            config.forEach((key, value) -> {
                if (!key.equals("bootstrap.servers") && !key.equals("client.id")) {
                    properties.put("spring.kafka.producer.properties[" + key + "]", String.valueOf(value));
                }
            });
            context = new SpringApplicationBuilder(sources)
                    .web(WebApplicationType.NONE)
                    .bannerMode(Banner.Mode.OFF)
                    .logStartupInfo(false)
                    .registerShutdownHook(false)
                    .properties(properties)
                    .run();
            template = context.getBean(KafkaTemplate.class);
            traced = variant == Variant.KAFKA_TEMPLATE_TRACED;
        }

        @Override
        List<String> threadNamePrefixes() {
            // DefaultKafkaProducerFactory suffixes the client id ("<id>-1"): a prefix still matches.
            String network = "kafka-producer-network-thread | " + clientId;
            return traced ? List.of(network, BenchTracing.SPAN_PROCESSOR_THREAD) : List.of(network);
        }

        @Override
        void sendAll(long[] startNanos, Ack[] acks) {
            if (traced) {
                BenchTracing.inLoopSpan(context.getBean(ObservationRegistry.class), () -> super.sendAll(startNanos, acks));
            } else {
                super.sendAll(startNanos, acks);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        void prepare(String topic, byte[][] values) {
            kafkaRecords = new org.apache.kafka.clients.producer.ProducerRecord[values.length];
            for (int i = 0; i < values.length; i++) {
                kafkaRecords[i] = new org.apache.kafka.clients.producer.ProducerRecord<>(topic, values[i]);
            }
        }

        @Override
        int partitionsFor(String topic) {
            return template.partitionsFor(topic).size();
        }

        @Override
        void send(int index, Ack ack) {
            template.send(kafkaRecords[index]).whenComplete(ack);
            kafkaRecords[index] = null;
        }

        /** A bean of the session's Spring context (for the smoke test: the template, the observation registry). */
        <T> T bean(Class<T> type) {
            return context.getBean(type);
        }

        @Override
        public void close() {
            context.close();
        }
    }

    /** Spring Boot's Kafka auto-configuration only (it makes the producer factory and the template). */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(KafkaAutoConfiguration.class)
    static class SpringKafkaMinimal {
    }

    /** A registry, and Boot's binding of the Kafka client's metrics to it, as Actuator would have. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(KafkaMetricsAutoConfiguration.class)
    static class SpringKafkaMeters {

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    /** An observation registry whose observations become timers, as Actuator sets it up. */
    @Configuration(proxyBeanMethods = false)
    static class WithObservationRegistry {

        @Bean
        ObservationRegistry observationRegistry() {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
            return registry;
        }
    }

    /** The starter's core auto-configuration only, with byte-array serializers as in the raw variant. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(CourierProducerAutoConfiguration.class)
    static class Minimal {

        @Bean(CourierProducerAutoConfiguration.KEY_SERIALIZER_BEAN)
        dev.courier.producer.serialization.ByteArraySerializer courierKeySerializer() {
            return new dev.courier.producer.serialization.ByteArraySerializer();
        }

        @Bean(CourierProducerAutoConfiguration.VALUE_SERIALIZER_BEAN)
        dev.courier.producer.serialization.ByteArraySerializer courierValueSerializer() {
            return new dev.courier.producer.serialization.ByteArraySerializer();
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

    /** The starter's observation auto-configuration alone (over {@link BenchTracing}'s registry). */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(CourierProducerObservationAutoConfiguration.class)
    static class CourierObservations {
    }

    /** The starter's observation auto-configuration over that registry; no send timer. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(CourierProducerObservationAutoConfiguration.class)
    static class WithObservations extends WithObservationRegistry {
    }
}
