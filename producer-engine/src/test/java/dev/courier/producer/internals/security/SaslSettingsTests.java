package dev.courier.producer.internals.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.ProducerConfig;
import dev.courier.producer.errors.ConfigException;
import dev.courier.producer.internals.config.ProducerSettings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SaslSettingsTests {

    private static final String PLAIN = "org.apache.kafka.common.security.plain.PlainLoginModule";
    private static final String SCRAM = "org.apache.kafka.common.security.scram.ScramLoginModule";
    private static final String OAUTH = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule";
    private static final String KERBEROS = "com.sun.security.auth.module.Krb5LoginModule";

    private static Map<String, Object> config(String mechanism, String jaas) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS, "localhost:9092");
        config.put(ProducerConfig.SECURITY_PROTOCOL, "SASL_PLAINTEXT");
        if (mechanism != null) {
            config.put(ProducerConfig.SASL_MECHANISM, mechanism);
        }
        if (jaas != null) {
            config.put(ProducerConfig.SASL_JAAS_CONFIG, jaas);
        }
        return config;
    }

    @Test
    void acceptsEachSupportedMechanismWithItsLoginModule() {
        assertThat(ProducerSettings.from(config("PLAIN", PLAIN + " required username=\"u\" password=\"p\";")).sasl()
                .mechanism()).isEqualTo("PLAIN");
        assertThat(ProducerSettings.from(config("SCRAM-SHA-512", SCRAM + " required username=\"u\" password=\"p\";"))
                .sasl().mechanism()).isEqualTo("SCRAM-SHA-512");
        assertThat(ProducerSettings.from(config("OAUTHBEARER", OAUTH + " required unsecuredLoginStringClaim_sub=\"u\";"))
                .sasl().tokenEndpointUrl()).isNull();
        assertThat(ProducerSettings.from(Map.of(ProducerConfig.BOOTSTRAP_SERVERS, "localhost:9092")).sasl()).isNull();
    }

    @Test
    void readsTheTokenEndpointAndItsLoginTimeouts() {
        Map<String, Object> config = config("OAUTHBEARER", OAUTH + " required clientId=\"c\" clientSecret=\"s\";");
        config.put(ProducerConfig.SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL, "https://idp.example.com/token");
        config.put(ProducerConfig.SASL_LOGIN_CONNECT_TIMEOUT_MS, "2500");

        SaslSettings sasl = ProducerSettings.from(config).sasl();

        assertThat(sasl.tokenEndpointUrl()).isEqualTo("https://idp.example.com/token");
        assertThat(sasl.loginConnectTimeoutMs()).isEqualTo(2500);
        assertThat(sasl.loginReadTimeoutMs()).isEqualTo(10_000);
        config.put(ProducerConfig.SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL, "ftp://idp.example.com/token");
        assertThatThrownBy(() -> ProducerSettings.from(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("sasl.oauthbearer.token.endpoint.url");
        config.put(ProducerConfig.SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL, "https://idp.example.com/token");
        config.put(ProducerConfig.SASL_JAAS_CONFIG, OAUTH + " required clientId=\"c\";");
        assertThatThrownBy(() -> ProducerSettings.from(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("clientSecret");
    }

    @Test
    void gssapiIsTheDefaultMechanismAndNeedsTheKerberosLoginModuleAndAServiceName() {
        String keytab = KERBEROS + " required useKeyTab=true keyTab=\"/etc/courier.keytab\" principal=\"courier@EXAMPLE.COM\";";
        assertThatThrownBy(() -> ProducerSettings.from(config(null, PLAIN + " required username=\"u\" password=\"p\";")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sasl.jaas.config")
                .hasMessageContaining("GSSAPI").hasMessageContaining(KERBEROS).hasMessageNotContaining("password=");
        assertThatThrownBy(() -> ProducerSettings.from(config("GSSAPI", keytab)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sasl.kerberos.service.name")
                .hasMessageContaining("GSSAPI");

        Map<String, Object> named = config("GSSAPI", keytab);
        named.put(ProducerConfig.SASL_KERBEROS_SERVICE_NAME, "kafka");
        assertThat(ProducerSettings.from(named).sasl().kerberosServiceName()).isEqualTo("kafka");
        Map<String, Object> byJaasOption = config(null, KERBEROS + " required useTicketCache=true serviceName=\"kafka2\";");
        assertThat(ProducerSettings.from(byJaasOption).sasl().kerberosServiceName()).isEqualTo("kafka2");
        assertThat(ProducerSettings.from(byJaasOption).sasl().mechanism()).isEqualTo("GSSAPI");
    }

    @Test
    void refusesAnUnknownMechanismNamingTheSupportedOnes() {
        assertThatThrownBy(() -> ProducerSettings.from(config("DIGEST-MD5", "x required;")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sasl.mechanism")
                .hasMessageContaining("must be one of").hasMessageContaining("PLAIN")
                .hasMessageContaining("SCRAM-SHA-256").hasMessageContaining("OAUTHBEARER").hasMessageContaining("GSSAPI");
    }

    @Test
    void refusesAMissingOrMismatchedJaasLineWithoutShowingIt() {
        assertThatThrownBy(() -> ProducerSettings.from(config("PLAIN", null)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sasl.jaas.config");
        assertThatThrownBy(() -> ProducerSettings.from(config("SCRAM-SHA-256",
                PLAIN + " required username=\"u\" password=\"hunter2\";")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ScramLoginModule")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> ProducerSettings.from(config("PLAIN", PLAIN + " required username=\"u\";")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("password");
        assertThatThrownBy(() -> ProducerSettings.from(config("SCRAM-SHA-256", SCRAM + " required username=\"u\" password=\"\";")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("password");
        assertThatThrownBy(() -> ProducerSettings.from(config("PLAIN", PLAIN + " required password=\"hunter2\"")))
                .isInstanceOf(ConfigException.class).hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> ProducerSettings.from(config("OAUTHBEARER", OAUTH + " required;")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("token.endpoint.url");
    }

    @Test
    void settingsToStringNeverShowsThePassword() {
        ProducerSettings settings = ProducerSettings.from(config("PLAIN",
                PLAIN + " required username=\"alice\" password=\"hunter2\";"));

        assertThat(settings.sasl().toString()).contains("PLAIN").doesNotContain("hunter2");
        assertThat(settings.toString()).contains("sasl.mechanism=PLAIN", "sasl.jaas.config=[hidden]")
                .doesNotContain("hunter2");
    }

    @Test
    void stillRefusesProtocolsThatAreNotAvailable() {
        Map<String, Object> config = config("PLAIN", PLAIN + " required username=\"u\" password=\"p\";");
        config.put(ProducerConfig.SECURITY_PROTOCOL, "SOMETHING");
        assertThatThrownBy(() -> ProducerSettings.from(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("security.protocol");
    }
}
