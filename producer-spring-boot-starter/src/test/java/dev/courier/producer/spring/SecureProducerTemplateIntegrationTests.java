package dev.courier.producer.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.courier.producer.SecureBrokers;
import dev.courier.producer.errors.SslAuthenticationException;
import dev.courier.producer.spring.autoconfigure.CourierProducerAutoConfiguration;
import dev.courier.test.EmbeddedKafka;
import dev.courier.producer.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The starter's security properties against a real broker with SASL_PLAINTEXT, TLS and mutual-TLS listeners:
 * typed SASL credentials, and TLS material from a Spring Boot PEM SSL bundle whose certificates are generated at
 * test time. The official consumer reads back what the template published (over the broker's plaintext listener).
 */
class SecureProducerTemplateIntegrationTests {

    private static final String PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
    private static final String SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";
    /** Quotes, a backslash and a semicolon: the typed properties must escape them in the JAAS line. */
    private static final String TRICKY_PASSWORD = "al\"ice\\pw;x";

    private static TestCertificates certs;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        certs = TestCertificates.get();
        Map<String, String> broker = SecureBrokers.tlsIdentity(certs);
        broker.put("listener.name.mtls.ssl.client.auth", "required");
        broker.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512");
        for (String listener : List.of("sasl", "saslssl")) {
            broker.put("listener.name." + listener + ".plain.sasl.jaas.config", PLAIN_MODULE + " required user_alice=\""
                    + TRICKY_PASSWORD.replace("\\", "\\\\").replace("\"", "\\\"") + "\";");
            broker.put("listener.name." + listener + ".scram-sha-256.sasl.jaas.config", SCRAM_MODULE + " required;");
            broker.put("listener.name." + listener + ".scram-sha-512.sasl.jaas.config", SCRAM_MODULE + " required;");
        }
        Map<String, String> listeners = new LinkedHashMap<>();
        listeners.put("SASL", "SASL_PLAINTEXT");
        listeners.put("SSL", "SSL");
        listeners.put("MTLS", "SSL");
        listeners.put("SASLSSL", "SASL_SSL");
        kafka = EmbeddedKafka.startWithListeners(listeners, broker);
        kafka.admin().alterUserScramCredentials(List.of(
                new UserScramCredentialUpsertion("scram-user", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256,
                        4096), "scram-secret"),
                new UserScramCredentialUpsertion("orders-service", new ScramCredentialInfo(
                        ScramMechanism.SCRAM_SHA_512, 4096), "orders-secret")))
                .all().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CourierProducerAutoConfiguration.class, SslAutoConfiguration.class))
            .withPropertyValues("courier.producer.delivery-timeout=60s");

    @Test
    void typedPlainCredentialsWithCharactersThatNeedEscapingAuthenticateOverSaslPlaintext() {
        roundTrip("typed-plain", "courier.producer.bootstrap-servers=localhost:" + kafka.listenerPort("SASL"),
                "courier.producer.security.protocol=SASL_PLAINTEXT", "courier.producer.sasl.username=alice",
                "courier.producer.sasl.password=" + TRICKY_PASSWORD);
    }

    @Test
    void typedScramCredentialsAuthenticateOverSaslPlaintext() {
        roundTrip("typed-scram", "courier.producer.bootstrap-servers=localhost:" + kafka.listenerPort("SASL"),
                "courier.producer.security.protocol=SASL_PLAINTEXT", "courier.producer.sasl.mechanism=SCRAM-SHA-256",
                "courier.producer.sasl.username=scram-user", "courier.producer.sasl.password=scram-secret");
    }

    /** The README's "SCRAM cluster whose brokers use a private CA": typed SCRAM properties, trust from a bundle. */
    @Test
    void typedScramCredentialsWithTrustFromAPemBundleAuthenticateOverSaslSsl() {
        roundTrip("typed-scram-sasl-ssl", "courier.producer.bootstrap-servers=localhost:" + kafka.listenerPort("SASLSSL"),
                "spring.ssl.bundle.pem.kafka-ca.truststore.certificate=" + certs.file("ca.pem").toUri(),
                "courier.producer.security.protocol=SASL_SSL", "courier.producer.ssl.bundle=kafka-ca",
                "courier.producer.sasl.mechanism=SCRAM-SHA-512", "courier.producer.sasl.username=orders-service",
                "courier.producer.sasl.password=orders-secret");
    }

    /** The README's raw keys for a SASL_SSL PLAIN cluster: nothing typed, everything in properties[...]. */
    @Test
    void rawPlainKeysAuthenticateOverSaslSsl() {
        String password = TRICKY_PASSWORD.replace("\\", "\\\\").replace("\"", "\\\"");
        roundTrip("raw-plain-sasl-ssl", "courier.producer.bootstrap-servers=localhost:" + kafka.listenerPort("SASLSSL"),
                "courier.producer.properties[security.protocol]=SASL_SSL",
                "courier.producer.properties[ssl.truststore.type]=PEM",
                "courier.producer.properties[ssl.truststore.location]=" + certs.file("ca.pem"),
                "courier.producer.properties[sasl.mechanism]=PLAIN",
                "courier.producer.properties[sasl.jaas.config]=" + PLAIN_MODULE + " required username=\"alice\" password=\""
                        + password + "\";");
    }

    @Test
    void aPemSslBundleCarriesTheTrustForTls() {
        roundTrip("bundle-tls", "courier.producer.bootstrap-servers=localhost:" + kafka.listenerPort("SSL"),
                "spring.ssl.bundle.pem.kafka.truststore.certificate=" + certs.file("ca.pem").toUri(),
                "courier.producer.ssl.bundle=kafka");
    }

    @Test
    void aPemSslBundleWithAKeyCarriesTheClientCertificateForMutualTls() {
        roundTrip("bundle-mtls", "courier.producer.bootstrap-servers=localhost:" + kafka.listenerPort("MTLS"),
                "spring.ssl.bundle.pem.kafka.truststore.certificate=" + certs.file("ca.pem").toUri(),
                "spring.ssl.bundle.pem.kafka.keystore.certificate=" + certs.file("client-chain.pem").toUri(),
                "spring.ssl.bundle.pem.kafka.keystore.private-key=" + certs.file("client-key.pem").toUri(),
                "courier.producer.ssl.bundle=kafka");
    }

    /**
     * A bundle update reaches the next new connection: trusting the wrong CA the send fails with a TLS
     * authentication error; after the bundle is updated to trust the right one, a send goes through.
     */
    @Test
    @SuppressWarnings("unchecked")
    void anUpdatedSslBundleIsUsedByTheNextNewConnection() {
        String topic = kafka.uniqueTopic("bundle-reload");
        kafka.createTopic(topic, 1, 1);
        runner.withPropertyValues("courier.producer.bootstrap-servers=localhost:" + kafka.listenerPort("SSL"),
                "courier.producer.max-block=30s",
                "spring.ssl.bundle.pem.kafka.truststore.certificate=" + certs.file("other-ca.pem").toUri(),
                "courier.producer.ssl.bundle=kafka").run(context -> {
                    ProducerTemplate<String, String> template = context.getBean(ProducerTemplate.class);
                    assertThatThrownBy(() -> template.send(topic, "k0", "refused").join())
                            .satisfies(e -> assertThat(causes(e)).anyMatch(
                                    SslAuthenticationException.class::isInstance));

                    context.getBean(SslBundleRegistry.class).updateBundle("kafka", SslBundle.of(
                            new PemSslStoreBundle(null, PemSslStoreDetails.forCertificate(
                                    certs.file("ca.pem").toUri().toString()))));

                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                            assertThat(template.send(topic, "k1", "after-reload")).succeedsWithin(
                                    Duration.ofSeconds(30)));
                });
        List<String> read = kafka.consume(topic, 1, Duration.ofSeconds(30)).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
        assertThat(read).contains("after-reload").doesNotContain("refused");
    }

    private static List<Throwable> causes(Throwable e) {
        List<Throwable> all = new java.util.ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.add(t);
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    private void roundTrip(String prefix, String... properties) {
        String topic = kafka.uniqueTopic(prefix);
        kafka.createTopic(topic, 1, 1);
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasNotFailed();
            ProducerTemplate<String, String> template = context.getBean(ProducerTemplate.class);
            List<CompletableFuture<SendResult<String, String>>> sends = List.of(
                    template.send(topic, "k1", "first"), template.send(topic, "k2", "second"));
            sends.forEach(CompletableFuture::join);
        });
        List<String> read = kafka.consume(topic, 2, Duration.ofSeconds(30)).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
        assertThat(read).containsExactly("first", "second");
    }
}
