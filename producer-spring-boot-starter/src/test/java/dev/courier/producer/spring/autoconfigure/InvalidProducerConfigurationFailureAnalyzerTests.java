package dev.courier.producer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.errors.ConfigException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** Bad configuration fails startup with an analysis naming the property, the value as written and what is allowed. */
class InvalidProducerConfigurationFailureAnalyzerTests {

    /** The environment of the context under test, kept because a context that failed to start hides it. */
    private final AtomicReference<Environment> environment = new AtomicReference<>();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CourierProducerAutoConfiguration.class))
            .withInitializer(context -> environment.set(context.getEnvironment()));

    @Test
    void anAcksValueKafkaDoesNotKnowNamesThePropertyTheValueAndTheAllowedOnes() {
        runner.withPropertyValues("courier.producer.bootstrap-servers=localhost:1", "courier.producer.acks=2")
                .run(context -> {
                    FailureAnalysis analysis = analyze(context);
                    assertThat(analysis.getDescription()).contains("Property: courier.producer.acks")
                            .contains("Value:    \"2\"")
                            .contains("must be one of all, -1, 0, 1 (Kafka producer key acks)");
                    assertThat(analysis.getAction()).contains("courier.producer.acks");
                });
    }

    @Test
    void aBadAddressFromTheApplicationsConnectionDetailsPointsThereNotAtAProperty() {
        runner.withPropertyValues("courier.producer.bootstrap-servers=localhost:1")
                .withBean(CourierConnectionDetails.class, () -> () -> List.of("no-such-host.invalid:9092"))
                .run(context -> {
                    FailureAnalysis analysis = analyze(context);
                    assertThat(analysis.getDescription()).doesNotContain("Property:")
                            .contains("no-such-host.invalid:9092").contains("bootstrap.servers");
                    assertThat(analysis.getAction()).contains("CourierConnectionDetails");
                });
    }

    @Test
    void aNegativeLingerIsReportedAsTheUserWroteIt() {
        runner.withPropertyValues("courier.producer.bootstrap-servers=localhost:1", "courier.producer.linger=-5ms")
                .run(context -> assertThat(analyze(context).getDescription())
                        .contains("Property: courier.producer.linger")
                        .contains("Value:    \"-5ms\"")
                        .contains("Kafka producer key linger.ms"));
    }

    @Test
    void missingBootstrapServersAreReportedAsNotSet() {
        runner.run(context -> {
            FailureAnalysis analysis = analyze(context);
            assertThat(analysis.getDescription()).contains("Property: courier.producer.bootstrap-servers")
                    .contains("Value:    (not set)")
                    .contains("required");
        });
    }

    @Test
    void aBadRawKafkaKeyNamesItsEntryInTheRawMap() {
        runner.withPropertyValues("courier.producer.bootstrap-servers=localhost:1",
                        "courier.producer.properties.linger.ms=-1")
                .run(context -> assertThat(analyze(context).getDescription())
                        .contains("Property: courier.producer.properties[linger.ms]")
                        .contains("Value:    \"-1\""));
    }

    @Test
    void aBadValueFromACustomizerPointsAtTheCustomizers() {
        runner.withPropertyValues("courier.producer.bootstrap-servers=localhost:1")
                .withBean(dev.courier.producer.spring.ProducerConfigCustomizer.class,
                        () -> config -> config.put("send.buffer.bytes", -7))
                .run(context -> {
                    FailureAnalysis analysis = analyze(context);
                    assertThat(analysis.getDescription()).doesNotContain("Property:").contains("\"-7\"");
                    assertThat(analysis.getAction()).contains("ProducerConfigCustomizer").contains("send.buffer.bytes");
                });
    }

    @Test
    void aTypedKeyOnlyACustomizerSetPointsAtTheCustomizersNotAtTheUnsetProperty() {
        runner.withPropertyValues("courier.producer.bootstrap-servers=localhost:1")
                .withBean(dev.courier.producer.spring.ProducerConfigCustomizer.class,
                        () -> config -> config.put("linger.ms", -3))
                .run(context -> {
                    FailureAnalysis analysis = analyze(context);
                    assertThat(analysis.getDescription()).doesNotContain("Property:").contains("\"-3\"");
                    assertThat(analysis.getAction()).contains("ProducerConfigCustomizer").contains("linger.ms");
                });
    }

    /**
     * The engine refusing a default of its own, given the other values (as it did delivery.timeout.ms when
     * the starter wrote every default): the analysis says the key is not set and which property sets it.
     */
    @Test
    void aRefusedEngineDefaultIsReportedAsNotSetWithThePropertyThatSetsIt() {
        CourierProducerProperties properties = new CourierProducerProperties();
        properties.setBootstrapServers(List.of("localhost:1"));
        ConfigException refused = new ConfigException("delivery.timeout.ms", 120000,
                "must be at least linger.ms + request.timeout.ms = 130000");

        FailureAnalysis analysis = new InvalidProducerConfigurationFailureAnalyzer(null).analyze(
                InvalidProducerConfigurationException.from(refused, properties, properties.buildProducerConfig()));

        assertThat(analysis.getDescription()).contains("Property: courier.producer.delivery-timeout")
                .contains("Value:    (not set; the engine's default is \"120000\")")
                .contains("must be at least linger.ms + request.timeout.ms = 130000 (Kafka producer key "
                        + "delivery.timeout.ms)");
        assertThat(analysis.getAction()).startsWith("Set courier.producer.delivery-timeout");
    }

    @Test
    void aRefusedEngineDefaultWithoutATypedPropertyNamesTheRawMapEntry() {
        CourierProducerProperties properties = new CourierProducerProperties();
        ConfigException refused = new ConfigException("metadata.max.idle.ms", 300000, "must be at least 5000");

        InvalidProducerConfigurationException exception =
                InvalidProducerConfigurationException.from(refused, properties, properties.buildProducerConfig());

        assertThat(exception.property()).isEqualTo("courier.producer.properties[metadata.max.idle.ms]");
        assertThat(exception.notSet()).isTrue();
    }

    /** Analyzes the startup failure with the analyzers Spring Boot itself would load from spring.factories. */
    private FailureAnalysis analyze(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        Throwable failure = context.getStartupFailure();
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class, SpringFactoriesLoader.ArgumentResolver.of(Environment.class,
                        environment.get()), (type, name, error) -> {
                            // other analyzers need a bean factory; only ours matters here
                        });
        assertThat(analyzers).hasAtLeastOneElementOfType(InvalidProducerConfigurationFailureAnalyzer.class);
        return analyzers.stream()
                .filter(InvalidProducerConfigurationFailureAnalyzer.class::isInstance)
                .map(analyzer -> analyzer.analyze(failure))
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .orElseThrow(() -> new AssertionError("No analysis for " + failure));
    }
}
