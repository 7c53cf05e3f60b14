package dev.courier.producer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.CourierProducer;
import dev.courier.producer.ProducerConfig;
import dev.courier.producer.serialization.StringSerializer;
import dev.courier.producer.spring.ManagedProducer;
import dev.courier.producer.spring.ProducerConfigCustomizer;
import dev.courier.producer.spring.ProducerTemplate;
import dev.courier.producer.spring.ShutdownMode;
import dev.courier.producer.spring.json.JacksonValueSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/** Conditions, back-off and binding of the core auto-configuration; no broker is needed to start a producer. */
class CourierProducerAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CourierProducerAutoConfiguration.class))
            .withBean(ConfigCapture.class, ConfigCapture::new)
            .withPropertyValues("courier.producer.bootstrap-servers=localhost:1");

    @Test
    void createsAManagedProducerAndATemplateWithStringSerializersByDefault() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(ManagedProducer.class).hasSingleBean(ProducerTemplate.class);
            assertThat(context.getBean(CourierProducerAutoConfiguration.KEY_SERIALIZER_BEAN))
                    .isInstanceOf(StringSerializer.class);
            assertThat(context.getBean(CourierProducerAutoConfiguration.VALUE_SERIALIZER_BEAN))
                    .isInstanceOf(StringSerializer.class);
        });
    }

    @Test
    void valuesAreWrittenAsJsonWithTheApplicationsMapperWhenJacksonIsConfigured() {
        runner.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class)).run(context -> {
            Object serializer = context.getBean(CourierProducerAutoConfiguration.VALUE_SERIALIZER_BEAN);
            assertThat(serializer).isInstanceOf(JacksonValueSerializer.class);
            @SuppressWarnings("unchecked")
            JacksonValueSerializer<Object> json = (JacksonValueSerializer<Object>) serializer;
            assertThat(new String(json.serialize("t", Map.of("id", 7)), StandardCharsets.UTF_8)).isEqualTo("{\"id\":7}");
            assertThat(new String(json.serialize("t", "plain"), StandardCharsets.UTF_8)).isEqualTo("plain");
        });
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnTemplate() {
        runner.withBean("myTemplate", ProducerTemplate.class,
                        () -> new ProducerTemplate<>(new ManagedProducer<>(() -> null, "mine", ShutdownMode.FORCED,
                                Duration.ZERO)))
                .run(context -> assertThat(context).getBeans(ProducerTemplate.class).containsOnlyKeys("myTemplate"));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnSerializerBeans() {
        StringSerializer mine = new StringSerializer();
        runner.withBean(CourierProducerAutoConfiguration.VALUE_SERIALIZER_BEAN, StringSerializer.class, () -> mine)
                .run(context -> assertThat(context.getBean(CourierProducerAutoConfiguration.VALUE_SERIALIZER_BEAN))
                        .isSameAs(mine));
    }

    @Test
    void typedPropertiesReachTheEngineAsKafkaKeys() {
        runner.withPropertyValues("courier.producer.client-id=orders-service", "courier.producer.acks=1",
                        "courier.producer.linger=20ms", "courier.producer.batch-size=64KB",
                        "courier.producer.buffer-memory=8MB", "courier.producer.compression-type=gzip",
                        "courier.producer.retries=3", "courier.producer.delivery-timeout=90s",
                        "courier.producer.request-timeout=10s", "courier.producer.max-block=2s",
                        "courier.producer.max-in-flight-requests-per-connection=1",
                        "courier.producer.max-request-size=2MB",
                        "courier.producer.bootstrap-servers=localhost:1,localhost:2")
                .run(context -> {
                    ConfigCapture capture = context.getBean(ConfigCapture.class);
                    assertThat(capture.get(ProducerConfig.BOOTSTRAP_SERVERS)).isEqualTo("localhost:1,localhost:2");
                    assertThat(capture.get(ProducerConfig.CLIENT_ID)).isEqualTo("orders-service");
                    assertThat(capture.get(ProducerConfig.ACKS)).isEqualTo("1");
                    assertThat(capture.get(ProducerConfig.LINGER_MS)).isEqualTo("20");
                    assertThat(capture.get(ProducerConfig.BATCH_SIZE)).isEqualTo("65536");
                    assertThat(capture.get(ProducerConfig.BUFFER_MEMORY)).isEqualTo("8388608");
                    assertThat(capture.get(ProducerConfig.COMPRESSION_TYPE)).isEqualTo("gzip");
                    assertThat(capture.get(ProducerConfig.RETRIES)).isEqualTo("3");
                    assertThat(capture.get(ProducerConfig.DELIVERY_TIMEOUT_MS)).isEqualTo("90000");
                    assertThat(capture.get(ProducerConfig.REQUEST_TIMEOUT_MS)).isEqualTo("10000");
                    assertThat(capture.get(ProducerConfig.MAX_BLOCK_MS)).isEqualTo("2000");
                    assertThat(capture.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION)).isEqualTo("1");
                    assertThat(capture.get(ProducerConfig.MAX_REQUEST_SIZE)).isEqualTo("2097152");
                    assertThat(context.getBean(ManagedProducer.class).clientId()).isEqualTo("orders-service");
                });
    }

    @Test
    void unsetOptionalPropertiesLeaveTheEnginesDefaults() {
        runner.run(context -> {
            Map<String, Object> config = context.getBean(ConfigCapture.class).config();
            assertThat(config).doesNotContainKeys(ProducerConfig.RETRIES, ProducerConfig.ENABLE_IDEMPOTENCE,
                    ProducerConfig.KEY_SERIALIZER, ProducerConfig.VALUE_SERIALIZER, ProducerConfig.PARTITIONER_CLASS);
            assertThat(config.get(ProducerConfig.CLIENT_ID)).asString().startsWith("courier-");
        });
    }

    @Test
    void typedPropertiesTheUserDidNotSetWriteNoKeys() {
        runner.run(context -> assertThat(context.getBean(ConfigCapture.class).config())
                .containsOnlyKeys(ProducerConfig.BOOTSTRAP_SERVERS, ProducerConfig.CLIENT_ID));
    }

    /**
     * The engine alone accepts linger.ms=100000: it raises delivery.timeout.ms, left at its default, to
     * linger.ms + request.timeout.ms. The starter must not turn that default into an explicit setting.
     */
    @Test
    void aLingerAboveTheDefaultDeliveryTimeoutStartsAsItDoesWithTheEngineAlone() {
        try (CourierProducer<String, String> engineAlone = new CourierProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS, "localhost:1", ProducerConfig.LINGER_MS, 100_000),
                new StringSerializer(), new StringSerializer())) {
            assertThat(engineAlone).isNotNull();
        }
        runner.withPropertyValues("courier.producer.linger=100s").run(context -> {
            assertThat(context).hasNotFailed();
            ConfigCapture capture = context.getBean(ConfigCapture.class);
            assertThat(capture.get(ProducerConfig.LINGER_MS)).isEqualTo("100000");
            assertThat(capture.config()).doesNotContainKey(ProducerConfig.DELIVERY_TIMEOUT_MS);
        });
    }

    @Test
    void enableIdempotenceIsBoundToTheEngineKey() {
        runner.withPropertyValues("courier.producer.enable-idempotence=false").run(context ->
                assertThat(context.getBean(ConfigCapture.class).get(ProducerConfig.ENABLE_IDEMPOTENCE)).isEqualTo("false"));
    }

    @Test
    void aRawKafkaKeyWinsOverTheTypedProperty() {
        runner.withPropertyValues("courier.producer.linger=20ms", "courier.producer.properties.linger.ms=7",
                        "courier.producer.properties[metadata.max.age.ms]=1000")
                .run(context -> {
                    ConfigCapture capture = context.getBean(ConfigCapture.class);
                    assertThat(capture.get(ProducerConfig.LINGER_MS)).isEqualTo("7");
                    assertThat(capture.get(ProducerConfig.METADATA_MAX_AGE_MS)).isEqualTo("1000");
                });
    }

    @Test
    void typedPropertiesBindFromYaml() {
        runner.withInitializer(context -> addYaml(context, "courier-typed.yml")).run(context -> {
            ConfigCapture capture = context.getBean(ConfigCapture.class);
            assertThat(capture.get(ProducerConfig.LINGER_MS)).isEqualTo("15");
            assertThat(capture.get(ProducerConfig.ACKS)).isEqualTo("1");
            assertThat(capture.get(ProducerConfig.BATCH_SIZE)).isEqualTo("65536");
            ManagedProducer<?, ?> producer = context.getBean(ManagedProducer.class);
            assertThat(producer.shutdownMode()).isEqualTo(ShutdownMode.FORCED);
            assertThat(producer.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
        });
    }

    @Test
    void rawKafkaKeysBindFromYamlAndWinOverTypedOnes() {
        runner.withInitializer(context -> addYaml(context, "courier-raw.yml")).run(context -> {
            ConfigCapture capture = context.getBean(ConfigCapture.class);
            assertThat(capture.get(ProducerConfig.LINGER_MS)).isEqualTo("5");
            assertThat(capture.get(ProducerConfig.METADATA_MAX_AGE_MS)).isEqualTo("60000");
        });
    }

    @Test
    void customizersRunInOrderAfterEveryProperty() {
        runner.withPropertyValues("courier.producer.properties.linger.ms=7")
                .withBean("second", ProducerConfigCustomizer.class, () -> new OrderedCustomizer(2, "second"))
                .withBean("first", ProducerConfigCustomizer.class, () -> new OrderedCustomizer(1, "first"))
                .run(context -> {
                    ConfigCapture capture = context.getBean(ConfigCapture.class);
                    assertThat(capture.get(ProducerConfig.CLIENT_ID)).isEqualTo("second");
                    assertThat(capture.get(ProducerConfig.LINGER_MS)).isEqualTo("2");
                    assertThat(context.getBean(ManagedProducer.class).clientId()).isEqualTo("second");
                });
    }

    @Test
    void theDefaultTopicIsTheTemplates() {
        runner.withPropertyValues("courier.producer.default-topic=events").run(context ->
                assertThat(context.getBean(ProducerTemplate.class).defaultTopic()).isEqualTo("events"));
    }

    private static void addYaml(ConfigurableApplicationContext context, String resource) {
        try {
            List<PropertySource<?>> sources = new YamlPropertySourceLoader().load(resource,
                    new ClassPathResource(resource));
            sources.forEach(source -> context.getEnvironment().getPropertySources().addFirst(source));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private record OrderedCustomizer(int order, String clientId) implements ProducerConfigCustomizer, Ordered {

        @Override
        public void customize(Map<String, Object> config) {
            config.put(ProducerConfig.CLIENT_ID, clientId);
            config.put(ProducerConfig.LINGER_MS, order);
        }

        @Override
        public int getOrder() {
            return order;
        }
    }
}
