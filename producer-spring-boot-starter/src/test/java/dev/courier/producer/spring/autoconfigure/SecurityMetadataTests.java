package dev.courier.producer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The IDE sees every security property with a description, and hints for the protocol and mechanism values. */
class SecurityMetadataTests {

    private final JsonNode metadata = read();

    @Test
    void everySecurityPropertyIsDescribed() {
        List<String> described = new ArrayList<>();
        for (JsonNode property : metadata.get("properties")) {
            if (property.hasNonNull("description")) {
                described.add(property.get("name").asString());
            }
        }
        assertThat(described).contains("courier.producer.security.protocol", "courier.producer.ssl.bundle",
                "courier.producer.sasl.mechanism", "courier.producer.sasl.username", "courier.producer.sasl.password",
                "courier.producer.sasl.oauth.token-endpoint", "courier.producer.sasl.oauth.client-id",
                "courier.producer.sasl.oauth.client-secret", "courier.producer.sasl.oauth.scope");
    }

    @Test
    void protocolAndMechanismHintsListWhatTheEngineAccepts() {
        assertThat(hintValues("courier.producer.security.protocol"))
                .containsExactly("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
        assertThat(hintValues("courier.producer.sasl.mechanism"))
                .containsExactly("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER");
    }

    private List<String> hintValues(String name) {
        List<String> values = new ArrayList<>();
        for (JsonNode hint : metadata.get("hints")) {
            if (hint.get("name").asString().equals(name)) {
                hint.get("values").forEach(value -> values.add(value.get("value").asString()));
            }
        }
        return values;
    }

    private static JsonNode read() {
        try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
            return JsonMapper.builder().build().readTree(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
