package dev.courier.producer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.ProducerConfig;
import dev.courier.producer.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** What the engine receives for each combination of security properties, and how bad ones are reported. */
class CourierProducerSecurityAutoConfigurationTests {

    private static final String PASSWORD = "pa\"ss\\word;x";

    private final AtomicReference<Environment> environment = new AtomicReference<>();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CourierProducerAutoConfiguration.class, SslAutoConfiguration.class))
            .withInitializer(context -> environment.set(context.getEnvironment()))
            .withBean(ConfigCapture.class, ConfigCapture::new)
            .withPropertyValues("courier.producer.bootstrap-servers=localhost:1");

    @Test
    void typedPlainCredentialsBuildAnEscapedJaasLineTheEngineAccepts() {
        runner.withPropertyValues("courier.producer.security.protocol=SASL_SSL",
                "courier.producer.sasl.username=alice", "courier.producer.sasl.password=" + PASSWORD).run(context -> {
                    assertThat(context).hasNotFailed();
                    ConfigCapture config = context.getBean(ConfigCapture.class);
                    assertThat(config.get("security.protocol")).isEqualTo("SASL_SSL");
                    assertThat(config.get("sasl.mechanism")).isEqualTo("PLAIN");
                    assertThat(config.get("sasl.jaas.config")).isEqualTo(
                            "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\" "
                                    + "password=\"pa\\\"ss\\\\word;x\";");
                });
    }

    @Test
    void typedScramCredentialsUseTheScramLoginModule() {
        runner.withPropertyValues("courier.producer.security.protocol=SASL_PLAINTEXT",
                "courier.producer.sasl.mechanism=SCRAM-SHA-512", "courier.producer.sasl.username=bob",
                "courier.producer.sasl.password=secret").run(context -> {
                    assertThat(context).hasNotFailed();
                    ConfigCapture config = context.getBean(ConfigCapture.class);
                    assertThat(config.get("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
                    assertThat(config.get("sasl.jaas.config")).isEqualTo(
                            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"bob\" "
                                    + "password=\"secret\";");
                });
    }

    @Test
    void typedOAuthPropertiesBuildTheOAuthBearerLineAndTheTokenEndpoint() {
        runner.withPropertyValues("courier.producer.security.protocol=SASL_SSL",
                "courier.producer.sasl.oauth.token-endpoint=https://idp.example/token",
                "courier.producer.sasl.oauth.client-id=orders", "courier.producer.sasl.oauth.client-secret=s3cr3t",
                "courier.producer.sasl.oauth.scope=kafka").run(context -> {
                    assertThat(context).hasNotFailed();
                    ConfigCapture config = context.getBean(ConfigCapture.class);
                    assertThat(config.get("sasl.mechanism")).isEqualTo("OAUTHBEARER");
                    assertThat(config.get("sasl.oauthbearer.token.endpoint.url")).isEqualTo("https://idp.example/token");
                    assertThat(config.get("sasl.jaas.config")).isEqualTo("org.apache.kafka.common.security.oauthbearer."
                            + "OAuthBearerLoginModule required clientId=\"orders\" clientSecret=\"s3cr3t\" "
                            + "scope=\"kafka\";");
                });
    }

    @Test
    void rawSecurityKeysWinOverTypedOnes() {
        String rawJaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"raw\" "
                + "password=\"raw-pw\";";
        runner.withPropertyValues("courier.producer.security.protocol=SASL_SSL",
                "courier.producer.sasl.username=typed", "courier.producer.sasl.password=typed-pw",
                "courier.producer.properties[security.protocol]=SASL_PLAINTEXT",
                "courier.producer.properties[sasl.mechanism]=SCRAM-SHA-256",
                "courier.producer.properties[sasl.jaas.config]=" + rawJaas).run(context -> {
                    assertThat(context).hasNotFailed();
                    ConfigCapture config = context.getBean(ConfigCapture.class);
                    assertThat(config.get("security.protocol")).isEqualTo("SASL_PLAINTEXT");
                    assertThat(config.get("sasl.mechanism")).isEqualTo("SCRAM-SHA-256");
                    assertThat(config.get("sasl.jaas.config")).isEqualTo(rawJaas);
                });
    }

    @Test
    void noSecurityPropertiesWriteNoSecurityKeys() {
        runner.run(context -> assertThat(context.getBean(ConfigCapture.class).config().keySet())
                .noneMatch(key -> key.startsWith("ssl.") || key.startsWith("sasl.") || key.startsWith("security.")
                        || key.equals(ProducerConfig.SSL_CONTEXT_PROVIDER)));
    }

    @Test
    void anSslBundleBecomesTheContextProviderAndImpliesSsl() {
        TestCertificates certs = TestCertificates.get();
        runner.withPropertyValues(
                "spring.ssl.bundle.pem.kafka.truststore.certificate=" + certs.file("ca.pem").toUri(),
                "spring.ssl.bundle.pem.kafka.keystore.certificate=" + certs.file("client-chain.pem").toUri(),
                "spring.ssl.bundle.pem.kafka.keystore.private-key=" + certs.file("client-key.pem").toUri(),
                "spring.ssl.bundle.pem.kafka.options.enabled-protocols=TLSv1.3",
                "courier.producer.ssl.bundle=kafka").run(context -> {
                    assertThat(context).hasNotFailed();
                    ConfigCapture config = context.getBean(ConfigCapture.class);
                    assertThat(config.config().get(ProducerConfig.SSL_CONTEXT_PROVIDER))
                            .isInstanceOf(SslBundleContextProvider.class);
                    assertThat(config.get("security.protocol")).isEqualTo("SSL");
                    assertThat(config.get("ssl.enabled.protocols")).isEqualTo("TLSv1.3");
                });
    }

    @Test
    void anSslBundleKeepsAnExplicitSaslSslProtocol() {
        TestCertificates certs = TestCertificates.get();
        runner.withPropertyValues(
                "spring.ssl.bundle.pem.kafka.truststore.certificate=" + certs.file("ca.pem").toUri(),
                "courier.producer.ssl.bundle=kafka", "courier.producer.security.protocol=SASL_SSL",
                "courier.producer.sasl.username=alice", "courier.producer.sasl.password=pw").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(ConfigCapture.class).get("security.protocol")).isEqualTo("SASL_SSL");
                });
    }

    @Test
    void rawTrustMaterialWinsOverAnSslBundle() {
        TestCertificates certs = TestCertificates.get();
        runner.withPropertyValues(
                "spring.ssl.bundle.pem.kafka.truststore.certificate=" + certs.file("ca.pem").toUri(),
                "courier.producer.ssl.bundle=kafka", "courier.producer.security.protocol=SSL",
                "courier.producer.properties[ssl.truststore.type]=PEM",
                "courier.producer.properties[ssl.truststore.location]=" + certs.file("ca.pem")).run(context -> {
                    assertThat(context).hasNotFailed();
                    ConfigCapture config = context.getBean(ConfigCapture.class);
                    assertThat(config.config()).doesNotContainKey(ProducerConfig.SSL_CONTEXT_PROVIDER);
                    assertThat(config.get("ssl.truststore.location")).isEqualTo(certs.file("ca.pem").toString());
                });
    }

    @Test
    void anUnknownSslBundleNamesThePropertyAndTheDefinedBundles() {
        TestCertificates certs = TestCertificates.get();
        runner.withPropertyValues(
                "spring.ssl.bundle.pem.kafka.truststore.certificate=" + certs.file("ca.pem").toUri(),
                "courier.producer.ssl.bundle=kafak").run(context -> {
                    FailureAnalysis analysis = analyze(context);
                    assertThat(analysis.getDescription()).contains("Property: courier.producer.ssl.bundle")
                            .contains("Value:    \"kafak\"").contains("defined bundles: [kafka]");
                    assertThat(analysis.getAction()).contains("courier.producer.ssl.bundle");
                });
    }

    @Test
    void anUnknownMechanismNamesThePropertyAndTheAllowedOnesButNoSecret() {
        runner.withPropertyValues("courier.producer.security.protocol=SASL_PLAINTEXT",
                "courier.producer.sasl.mechanism=GSSAPI-ISH", "courier.producer.sasl.username=alice",
                "courier.producer.sasl.password=hunter2").run(context -> {
                    FailureAnalysis analysis = analyze(context);
                    assertThat(analysis.getDescription()).contains("Property: courier.producer.sasl.mechanism")
                            .contains("GSSAPI-ISH").contains("PLAIN").contains("SCRAM-SHA-256");
                    assertNoSecret(context, analysis, "hunter2");
                });
    }

    @Test
    void aBadRawJaasLineIsReportedWithItsValueHidden() {
        runner.withPropertyValues("courier.producer.security.protocol=SASL_PLAINTEXT",
                "courier.producer.properties[sasl.mechanism]=PLAIN",
                "courier.producer.properties[sasl.jaas.config]=org.apache.kafka.common.security.plain."
                        + "PlainLoginModule required username=\"alice\" passwort=\"hunter2\";").run(context -> {
                            FailureAnalysis analysis = analyze(context);
                            assertThat(analysis.getDescription())
                                    .contains("Property: courier.producer.properties[sasl.jaas.config]")
                                    .contains("Value:    [hidden]").contains("needs option password");
                            assertNoSecret(context, analysis, "hunter2");
                        });
    }

    @Test
    void incompleteTypedOAuthPropertiesNameTheSaslGroupWithTheLineHidden() {
        runner.withPropertyValues("courier.producer.security.protocol=SASL_SSL",
                "courier.producer.sasl.oauth.token-endpoint=https://idp.example/token",
                "courier.producer.sasl.oauth.client-secret=s3cr3t-value").run(context -> {
                    FailureAnalysis analysis = analyze(context);
                    assertThat(analysis.getDescription()).contains("Property: courier.producer.sasl")
                            .contains("Value:    [hidden]").contains("needs option clientId");
                    assertNoSecret(context, analysis, "s3cr3t-value");
                });
    }

    @Test
    void aMissingTruststoreFileNamesTheRawEntry() {
        runner.withPropertyValues("courier.producer.security.protocol=SSL",
                "courier.producer.properties[ssl.truststore.location]=/no/such/truststore.p12",
                "courier.producer.properties[ssl.truststore.password]=store-pw").run(context -> {
                    FailureAnalysis analysis = analyze(context);
                    assertThat(analysis.getDescription())
                            .contains("Property: courier.producer.properties[ssl.truststore.location]")
                            .contains("/no/such/truststore.p12").contains("no such file");
                    assertNoSecret(context, analysis, "store-pw");
                });
    }

    @Test
    void anUnreadablePemTruststoreNamesTheRawEntry(@TempDir Path dir) throws Exception {
        Path garbage = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nnot base64!\n");
        runner.withPropertyValues("courier.producer.security.protocol=SSL",
                "courier.producer.properties[ssl.truststore.type]=PEM",
                "courier.producer.properties[ssl.truststore.location]=" + garbage).run(context -> {
                    FailureAnalysis analysis = analyze(context);
                    assertThat(analysis.getDescription())
                            .contains("Property: courier.producer.properties[ssl.truststore.location]")
                            .contains("Cannot read certificates");
                });
    }

    @Test
    void anUnreadablePemKeyIsReportedWithItsValueHidden() {
        String key = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1ieXRlcw==\n-----END PRIVATE KEY-----";
        runner.withPropertyValues("courier.producer.security.protocol=SSL",
                "courier.producer.properties[ssl.keystore.type]=PEM",
                "courier.producer.properties[ssl.keystore.key]=" + key,
                "courier.producer.properties[ssl.keystore.certificate.chain]="
                        + TestCertificates.get().text("client-chain.pem")).run(context -> {
                            FailureAnalysis analysis = analyze(context);
                            assertThat(analysis.getDescription())
                                    .contains("Property: courier.producer.properties[ssl.keystore.key]")
                                    .contains("Value:    [hidden]");
                            assertNoSecret(context, analysis, "c2VjcmV0LWtleS1ieXRlcw");
                        });
    }

    @Test
    void thePropertiesToStringHidesPasswordAndClientSecret() {
        CourierSecurityProperties.Sasl sasl = new CourierSecurityProperties.Sasl();
        sasl.setUsername("alice");
        sasl.setPassword("hunter2");
        sasl.getOauth().setClientSecret("s3cr3t");
        assertThat(sasl.toString()).contains("alice").doesNotContain("hunter2").doesNotContain("s3cr3t");
    }

    private static void assertNoSecret(AssertableApplicationContext context, FailureAnalysis analysis, String secret) {
        assertThat(analysis.getDescription()).doesNotContain(secret);
        assertThat(analysis.getAction()).doesNotContain(secret);
        for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
        }
    }

    private FailureAnalysis analyze(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        Throwable failure = context.getStartupFailure();
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class, SpringFactoriesLoader.ArgumentResolver.of(Environment.class,
                        environment.get()), (type, name, error) -> {
                            // other analyzers need a bean factory; only ours matters here
                        });
        return analyzers.stream()
                .filter(InvalidProducerConfigurationFailureAnalyzer.class::isInstance)
                .map(analyzer -> analyzer.analyze(failure))
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .orElseThrow(() -> new AssertionError("No analysis for " + failure));
    }
}
