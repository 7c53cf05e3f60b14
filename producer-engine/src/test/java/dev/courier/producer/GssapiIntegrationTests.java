package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.errors.SaslAuthenticationException;
import dev.courier.producer.internals.security.TestKdc;
import dev.courier.producer.serialization.StringSerializer;
import dev.courier.test.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

/**
 * GSSAPI (Kerberos) against a real broker and a real KDC, both in the test JVM: Apache Kerby's KDC (TCP on
 * loopback, principals and keytabs made at test time in a temporary directory) issues tickets to the broker's
 * {@code kafka/localhost} service principal and to the producer's {@code courier} principal; the broker's
 * {@value EmbeddedKafka#SASL_LISTENER} listener takes SASL_PLAINTEXT with GSSAPI. Records sent with a keytab login
 * are read back by the official consumer, itself authenticated with GSSAPI; a keytab that is not there, or a service
 * name the KDC does not know, fails the records promptly as an authentication error.
 *
 * <p>The JDK reads the KDC's address from the JVM-wide {@code java.security.krb5.conf} ({@link TestKdc} sets it and
 * restores it afterwards); the login modules are told to re-read it ({@code refreshKrb5Config}) since another test of
 * the same JVM may have loaded another KDC's settings before.
 */
class GssapiIntegrationTests {

    private static final Duration PROMPTLY = Duration.ofSeconds(20);

    private static TestKdc kdc;
    private static Path courierKeytab;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKdcAndBroker() throws Exception {
        kdc = TestKdc.start();
        Path brokerKeytab = kdc.keytab("kafka/localhost");
        courierKeytab = kdc.keytab("courier");
        Map<String, String> broker = new HashMap<>();
        broker.put("sasl.enabled.mechanisms", "GSSAPI");
        broker.put("sasl.kerberos.service.name", "kafka");
        broker.put("listener.name.sasl.gssapi.sasl.jaas.config", TestKdc.keytabJaas(brokerKeytab, "kafka/localhost"));
        kafka = EmbeddedKafka.startWithListeners(Map.of(EmbeddedKafka.SASL_LISTENER, "SASL_PLAINTEXT"), broker);
    }

    @AfterAll
    static void stopKdcAndBroker() throws Exception {
        try {
            if (kafka != null) {
                kafka.close();
            }
        } finally {
            if (kdc != null) {
                kdc.close();
            }
        }
    }

    /** GSSAPI settings as a Kafka user writes them, for Courier and the official consumer alike. */
    private static Map<String, String> gssapi(Path keytab) {
        Map<String, String> settings = new HashMap<>();
        settings.put("security.protocol", "SASL_PLAINTEXT");
        settings.put("sasl.mechanism", "GSSAPI");
        settings.put("sasl.kerberos.service.name", "kafka");
        settings.put("sasl.jaas.config", TestKdc.keytabJaas(keytab, "courier"));
        return settings;
    }

    private static Producer<String, String> producer(Map<String, String> security) {
        Map<String, Object> config = new HashMap<>(security);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS, kafka.saslBootstrapServers());
        config.put(ProducerConfig.LINGER_MS, 5);
        return new CourierProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    @Test
    void recordsSentWithAKeytabLoginAreReadBackByTheOfficialConsumerOverGssapi() throws Exception {
        String topic = kafka.uniqueTopic("gssapi");
        kafka.createTopic(topic, 2, 1);
        Map<String, String> security = gssapi(courierKeytab);
        try (Producer<String, String> producer = producer(security)) {
            CompletableFuture.allOf(TestProducers.sendNumbered(producer, topic, 50).toArray(CompletableFuture[]::new))
                    .get(60, TimeUnit.SECONDS);
        }
        List<ConsumerRecord<byte[], byte[]>> records = kafka.consumeOverSasl(topic, 50, Duration.ofSeconds(60),
                security);
        assertThat(records).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .hasSize(50).contains("value-0", "value-49");
    }

    @Test
    void aKeytabThatIsNotThereFailsTheRecordsPromptlyAsAnAuthenticationError() {
        expectAuthenticationFailure(gssapi(kdc.missingFile("courier.keytab")), "GSSAPI keytab missing", "keyTab");
    }

    @Test
    void aServiceNameTheKdcDoesNotKnowFailsTheRecordsPromptlyAsAnAuthenticationError() {
        Map<String, String> security = gssapi(courierKeytab);
        security.put("sasl.kerberos.service.name", "not-kafka");
        expectAuthenticationFailure(security, "GSSAPI service principal unknown to the KDC", "GSSAPI");
    }

    private static void expectAuthenticationFailure(Map<String, String> security, String failureCase, String says) {
        Producer<String, String> producer = producer(security);
        try {
            FirstFailureClock clock = FirstFailureClock.start(failureCase);
            List<CompletableFuture<RecordMetadata>> futures = TestProducers.sendNumbered(producer, kafka.uniqueTopic("gssapi-no-keytab"), 3);
            futures.forEach(clock::watch);
            for (CompletableFuture<RecordMetadata> future : futures) {
                assertThatThrownBy(() -> future.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS))
                        .hasCauseInstanceOf(SaslAuthenticationException.class)
                        .satisfies(e -> assertThat(e.getCause().getMessage()).contains("GSSAPI").contains(says));
            }
            clock.log();
        } finally {
            CompletableFuture<Void> closed = CompletableFuture.runAsync(producer::close);
            assertThat(closed).succeedsWithin(PROMPTLY);
        }
    }
}
