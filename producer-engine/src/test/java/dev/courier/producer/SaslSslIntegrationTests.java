package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.errors.SaslAuthenticationException;
import dev.courier.producer.errors.SslAuthenticationException;
import dev.courier.producer.serialization.StringSerializer;
import dev.courier.producer.testing.TestCertificates;
import dev.courier.test.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SASL_SSL against a real broker: SASL over TLS, the way managed clusters are reached. One extra listener,
 * {@value EmbeddedKafka#SASL_LISTENER}, speaks SASL_SSL (the broker's certificate names {@code localhost} only,
 * made at test time by {@link TestCertificates}); PLAIN, SCRAM-SHA-256/512 (users created through the admin client)
 * and OAUTHBEARER with unsecured tokens each deliver records that the official consumer reads back over the same
 * SASL_SSL listener. A wrong password fails as a SASL error and an untrusted broker certificate as a TLS error,
 * both promptly (the time to the first failed future is logged).
 */
class SaslSslIntegrationTests {

    private static final String PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
    private static final String SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";
    private static final String OAUTH_MODULE = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule";
    private static final String ALICE_PASSWORD = "alice-ssl-secret-Pa55";
    private static final String PW = TestCertificates.PASSWORD;
    private static final Duration PROMPTLY = Duration.ofSeconds(20);

    private static TestCertificates certs;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startCluster() throws Exception {
        certs = TestCertificates.get();
        Map<String, String> broker = SecureBrokers.tlsIdentity(certs);
        broker.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER");
        broker.put("listener.name.sasl.plain.sasl.jaas.config", PLAIN_MODULE + " required user_alice=\""
                + ALICE_PASSWORD + "\";");
        broker.put("listener.name.sasl.scram-sha-256.sasl.jaas.config", SCRAM_MODULE + " required;");
        broker.put("listener.name.sasl.scram-sha-512.sasl.jaas.config", SCRAM_MODULE + " required;");
        broker.put("listener.name.sasl.oauthbearer.sasl.jaas.config", OAUTH_MODULE
                + " required unsecuredLoginStringClaim_sub=\"broker\";");
        kafka = EmbeddedKafka.startWithListeners(Map.of(EmbeddedKafka.SASL_LISTENER, "SASL_SSL"), broker);
        SecureBrokers.createScramUsers(kafka);
    }

    @AfterAll
    static void stopCluster() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** SASL_SSL settings common to Courier and the official consumer, trusting the test CA. */
    private static Map<String, String> saslSsl(String mechanism, String jaas) {
        Map<String, String> settings = new HashMap<>();
        settings.put("security.protocol", "SASL_SSL");
        settings.put("ssl.truststore.location", certs.file("truststore.jks").toString());
        settings.put("ssl.truststore.password", PW);
        settings.put("sasl.mechanism", mechanism);
        settings.put("sasl.jaas.config", jaas);
        return settings;
    }

    private static Map<String, Object> producerConfig(Map<String, String> security) {
        Map<String, Object> config = new HashMap<>(security);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS, kafka.saslBootstrapServers());
        config.put(ProducerConfig.LINGER_MS, 5);
        return config;
    }

    private static String userJaas(String module, String user, String password) {
        return module + " required username=\"" + user + "\" password=\"" + password + "\";";
    }

    private static void roundTrip(Map<String, String> security) throws Exception {
        String topic = kafka.uniqueTopic("sasl-ssl-" + security.get("sasl.mechanism"));
        kafka.createTopic(topic, 2, 1);
        try (Producer<String, String> producer = new CourierProducer<>(producerConfig(security),
                new StringSerializer(), new StringSerializer())) {
            List<CompletableFuture<RecordMetadata>> futures = TestProducers.sendNumbered(producer, topic, 50);
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
        List<ConsumerRecord<byte[], byte[]>> records = kafka.consumeOverSasl(topic, 50, Duration.ofSeconds(60),
                security);
        assertThat(records).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .hasSize(50).contains("value-0", "value-49");
    }

    @Test
    void plainOverTlsIsReadBackByTheOfficialConsumerOverSaslSsl() throws Exception {
        roundTrip(saslSsl("PLAIN", userJaas(PLAIN_MODULE, "alice", ALICE_PASSWORD)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SCRAM-SHA-256", "SCRAM-SHA-512"})
    void scramOverTlsIsReadBackByTheOfficialConsumerOverSaslSsl(String mechanism) throws Exception {
        String user = mechanism.endsWith("256") ? "scram256" : "scram512";
        roundTrip(saslSsl(mechanism, userJaas(SCRAM_MODULE, user, user + "-secret")));
    }

    @Test
    void oauthBearerWithAnUnsecuredTokenOverTlsIsReadBackByTheOfficialConsumer() throws Exception {
        roundTrip(saslSsl("OAUTHBEARER", OAUTH_MODULE + " required unsecuredLoginStringClaim_sub=\"oauth-user\";"));
    }

    @Test
    void aWrongScramPasswordOverTlsFailsTheRecordsWithASaslErrorThatHidesThePassword() {
        String wrongPassword = "wrong-ssl-Pa55word";
        Map<String, Object> config = producerConfig(saslSsl("SCRAM-SHA-512",
                userJaas(SCRAM_MODULE, "scram512", wrongPassword)));
        expectFailures(config, "SASL_SSL SCRAM-SHA-512 wrong password", SaslAuthenticationException.class,
                wrongPassword);
    }

    @Test
    void aBrokerCertificateFromAnUntrustedCaFailsTheRecordsBeforeSaslBegins() {
        Map<String, Object> config = producerConfig(saslSsl("PLAIN", userJaas(PLAIN_MODULE, "alice", ALICE_PASSWORD)));
        config.remove("ssl.truststore.password");
        config.put("ssl.truststore.type", "PEM");
        config.put("ssl.truststore.location", certs.file("other-ca.pem").toString());
        expectFailures(config, "SASL_SSL untrusted CA", SslAuthenticationException.class, ALICE_PASSWORD);
    }

    /** Sends a few records and expects each to fail with {@code expected}, promptly, never showing {@code secret}. */
    private static void expectFailures(Map<String, Object> config, String failureCase,
                                       Class<? extends Throwable> expected, String secret) {
        String topic = kafka.uniqueTopic("sasl-ssl-failure");
        Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(), new StringSerializer());
        try {
            FirstFailureClock clock = FirstFailureClock.start(failureCase);
            List<CompletableFuture<RecordMetadata>> futures = TestProducers.sendNumbered(producer, topic, 3);
            futures.forEach(clock::watch);
            for (CompletableFuture<RecordMetadata> future : futures) {
                assertThatThrownBy(() -> future.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS))
                        .hasCauseInstanceOf(expected)
                        .satisfies(e -> assertThat(String.valueOf(e.getCause().getMessage())).doesNotContain(secret));
            }
            clock.log();
        } finally {
            CompletableFuture<Void> closed = CompletableFuture.runAsync(producer::close);
            assertThat(closed).succeedsWithin(PROMPTLY);
        }
    }
}
