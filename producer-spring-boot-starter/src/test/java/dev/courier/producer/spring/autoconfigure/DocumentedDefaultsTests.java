package dev.courier.producer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.ProducerConfig;
import dev.courier.producer.internals.config.ProducerSettings;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The defaults the IDE metadata shows for typed properties are the engine's: the starter writes nothing for
 * an unset property, so a documented default that differed from the engine's would be a lie.
 */
class DocumentedDefaultsTests {

    @Test
    void settingEveryDocumentedDefaultChangesNothingTheEngineResolves() throws Exception {
        Map<String, String> documented = documentedDefaults();
        assertThat(documented).containsKeys("courier.producer.linger", "courier.producer.acks",
                "courier.producer.delivery-timeout", "courier.producer.max-in-flight-requests-per-connection");
        Map<String, String> values = new LinkedHashMap<>(documented);
        values.put("courier.producer.bootstrap-servers", "localhost:1");
        values.put("courier.producer.client-id", "defaults");
        CourierProducerProperties properties = new CourierProducerProperties();
        new Binder(new MapConfigurationPropertySource(values))
                .bind(CourierProducerProperties.PREFIX, Bindable.ofInstance(properties));

        Map<String, Object> withDefaultsWritten = properties.buildProducerConfig();
        assertThat(withDefaultsWritten).hasSize(documented.size() + 2);

        assertThat(resolved(ProducerSettings.from(withDefaultsWritten))).isEqualTo(resolved(ProducerSettings.from(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS, "localhost:1", ProducerConfig.CLIENT_ID, "defaults"))));
    }

    /** Property name to defaultValue, for the courier.producer.* entries of the additional metadata. */
    private static Map<String, String> documentedDefaults() throws IOException {
        try (InputStream in = new ClassPathResource("META-INF/additional-spring-configuration-metadata.json")
                .getInputStream()) {
            JsonNode properties = JsonMapper.builder().build().readTree(in).get("properties");
            Map<String, String> defaults = new LinkedHashMap<>();
            for (JsonNode property : properties) {
                String name = property.get("name").asString();
                if (name.startsWith(CourierProducerProperties.PREFIX + ".") && property.has("defaultValue")) {
                    defaults.put(name, property.get("defaultValue").asString());
                }
            }
            return defaults;
        }
    }

    /** Every resolved value the settings expose, except the raw map they were built from (and its text). */
    private static Map<String, Object> resolved(ProducerSettings settings) {
        return Arrays.stream(ProducerSettings.class.getMethods())
                .filter(m -> m.getDeclaringClass() == ProducerSettings.class && m.getParameterCount() == 0
                        && !Modifier.isStatic(m.getModifiers()) && !m.getName().equals("originals")
                        && !m.getName().equals("toString"))
                .collect(Collectors.toMap(Method::getName, m -> invoke(m, settings)));
    }

    private static Object invoke(Method accessor, ProducerSettings settings) {
        try {
            Object value = accessor.invoke(settings);
            return value == null ? "null" : value;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
