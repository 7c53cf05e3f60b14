package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.errors.ConfigException;
import dev.courier.producer.errors.SslAuthenticationException;
import dev.courier.producer.serialization.StringSerializer;
import dev.courier.test.EmbeddedKafka;
import dev.courier.producer.testing.TestCertificates;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS against a real broker with two extra listeners: {@code SSL} (server certificate only) and {@code MTLS}
 * ({@code ssl.client.auth=required}). The broker's certificate names {@code localhost} only; certificates are made
 * at test time ({@link TestCertificates}).
 *
 * <p>Authentication failures must end the records concerned with an {@link SslAuthenticationException}: were they
 * retried like a disconnect, they would end with a TimeoutException after delivery.timeout.ms (two minutes here,
 * longer than any wait in these tests) instead.
 */
class SslIntegrationTests {

    private static final String PW = TestCertificates.PASSWORD;
    private static TestCertificates certs;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        certs = TestCertificates.get();
        Map<String, String> broker = SecureBrokers.tlsIdentity(certs);
        broker.put("listener.name.mtls.ssl.client.auth", "required");
        Map<String, String> listeners = new LinkedHashMap<>();
        listeners.put("SSL", "SSL");
        listeners.put("MTLS", "SSL");
        kafka = EmbeddedKafka.startWithListeners(listeners, broker);
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Map<String, Object> tls(String host, String listener) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS, host + ":" + kafka.listenerPort(listener));
        config.put(ProducerConfig.SECURITY_PROTOCOL, "SSL");
        config.put(ProducerConfig.LINGER_MS, 5);
        config.put(ProducerConfig.SSL_TRUSTSTORE_LOCATION, certs.file("truststore.jks").toString());
        config.put(ProducerConfig.SSL_TRUSTSTORE_PASSWORD, PW);
        return config;
    }

    private static List<CompletableFuture<RecordMetadata>> send(Map<String, Object> config, String topic, int count) {
        return send(config, topic, count, null);
    }

    /** Sends {@code count} records and closes the producer; {@code failureCase}, if set, times the first failure. */
    private static List<CompletableFuture<RecordMetadata>> send(Map<String, Object> config, String topic, int count,
                                                                String failureCase) {
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        FirstFailureClock clock;
        try (Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            clock = FirstFailureClock.start(failureCase);
            for (int i = 0; i < count; i++) {
                futures.add(clock.watch(producer.send(new ProducerRecord<>(topic, "key-" + (i % 7), "value-" + i))));
            }
            producer.flush();
        }
        if (failureCase != null) {
            clock.log();
        }
        return futures;
    }

    private static String newTopic(String prefix) {
        String topic = kafka.uniqueTopic(prefix);
        kafka.createTopic(topic, 2, 1);
        return topic;
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).sorted().toList();
    }

    private static List<String> expectedValues(int count) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add("value-" + i);
        }
        values.sort(null);
        return values;
    }

    @Test
    void recordsSentOverTlsAreReadBackByTheOfficialConsumerOverTls() {
        String topic = newTopic("tls-round-trip");
        Map<String, Object> config = tls("localhost", "SSL");
        config.put(ProducerConfig.COMPRESSION_TYPE, "lz4");
        List<CompletableFuture<RecordMetadata>> futures = send(config, topic, 500);
        futures.forEach(CompletableFuture::join);

        Properties consumer = new Properties();
        consumer.put("bootstrap.servers", "localhost:" + kafka.listenerPort("SSL"));
        consumer.put("security.protocol", "SSL");
        consumer.put("ssl.truststore.location", certs.file("truststore.jks").toString());
        consumer.put("ssl.truststore.password", PW);
        consumer.put("enable.auto.commit", "false");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(consumer, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (records.size() < 500 && System.nanoTime() < deadline) {
                reader.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(values(records)).isEqualTo(expectedValues(500));
    }

    @Test
    void inlinePemTrustAndAnEncryptedPemClientKeyWorkForMutualTls() {
        String topic = newTopic("tls-inline-pem");
        Map<String, Object> config = inlinePemTrust(tls("localhost", "MTLS"));
        config.put(ProducerConfig.SSL_KEYSTORE_TYPE, "PEM");
        config.put(ProducerConfig.SSL_KEYSTORE_KEY, certs.text("client-key-encrypted.pem"));
        config.put(ProducerConfig.SSL_KEYSTORE_CERTIFICATE_CHAIN, certs.text("client-chain.pem"));
        config.put(ProducerConfig.SSL_KEY_PASSWORD, PW);
        send(config, topic, 200).forEach(CompletableFuture::join);
        assertThat(values(kafka.consume(topic, 200, Duration.ofSeconds(60)))).isEqualTo(expectedValues(200));
    }

    @Test
    void mutualTlsWithAPkcs12ClientKeyStoreOverTls12Delivers() {
        String topic = newTopic("mtls-pkcs12");
        Map<String, Object> config = tls("localhost", "MTLS");
        onlyProtocol(config, "TLSv1.2");
        withKeyStore(config, certs.file("client.p12"));
        send(config, topic, 100).forEach(CompletableFuture::join);
        assertThat(values(kafka.consume(topic, 100, Duration.ofSeconds(60)))).isEqualTo(expectedValues(100));
    }

    @Test
    void mutualTlsWithoutAClientCertificateFailsTheRecordsWithAnAuthenticationError() {
        String topic = newTopic("mtls-no-cert");
        List<CompletableFuture<RecordMetadata>> futures = send(tls("localhost", "MTLS"), topic, 10,
                "mTLS without a client certificate");
        for (CompletableFuture<RecordMetadata> future : futures) {
            assertThat(TestProducers.failureOf(future)).isInstanceOf(SslAuthenticationException.class);
        }
    }

    @Test
    void aCertificateForAnotherHostFailsUnlessHostnameVerificationIsOff() {
        String topic = newTopic("tls-hostname");
        // The certificate names localhost only; 127.0.0.1 is the same broker under a name it does not carry.
        List<CompletableFuture<RecordMetadata>> refused = send(tls("127.0.0.1", "SSL"), topic, 5,
                "certificate name does not match the host");
        for (CompletableFuture<RecordMetadata> future : refused) {
            assertThat(TestProducers.failureOf(future)).isInstanceOf(SslAuthenticationException.class)
                    .hasMessageContaining("127.0.0.1");
        }

        Map<String, Object> unchecked = tls("127.0.0.1", "SSL");
        unchecked.put(ProducerConfig.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM, "");
        send(unchecked, topic, 5).forEach(CompletableFuture::join);
        assertThat(kafka.consume(topic, 5, Duration.ofSeconds(60))).hasSize(5);
    }

    @Test
    void aBrokerCertificateFromAnUntrustedCaFailsTheRecords() {
        String topic = newTopic("tls-untrusted");
        Map<String, Object> config = tls("localhost", "SSL");
        config.remove(ProducerConfig.SSL_TRUSTSTORE_LOCATION);
        config.remove(ProducerConfig.SSL_TRUSTSTORE_PASSWORD);
        config.put(ProducerConfig.SSL_TRUSTSTORE_TYPE, "PEM");
        config.put(ProducerConfig.SSL_TRUSTSTORE_LOCATION, certs.file("other-ca.pem").toString());
        for (CompletableFuture<RecordMetadata> future : send(config, topic, 5, "SSL untrusted CA")) {
            assertThat(TestProducers.failureOf(future)).isInstanceOf(SslAuthenticationException.class);
        }
    }

    @Test
    void aWrongKeyStorePasswordIsAConfigErrorAtConstructionThatDoesNotShowThePassword() {
        Map<String, Object> config = tls("localhost", "MTLS");
        withKeyStore(config, certs.file("client.p12"));
        config.put(ProducerConfig.SSL_KEYSTORE_PASSWORD, "not-the-password-7");
        FirstFailureClock clock = FirstFailureClock.start("wrong keystore password (at construction, no send)");
        assertThatThrownBy(() -> new CourierProducer<>(config, new StringSerializer(), new StringSerializer()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ssl.keystore.password")
                .hasMessageNotContaining("not-the-password-7");
        clock.failedNow();
        clock.log();
    }

    @Test
    void inlinePemWithAnRsaKeyWorksForMutualTls() throws Exception {
        // The broker's own RSA key pair serves as a client identity here: issued by the CA the broker trusts, and
        // carrying no extended key usage that would restrict it to servers.
        String topic = newTopic("tls-inline-pem-rsa");
        Map<String, Object> config = inlinePemTrust(tls("localhost", "MTLS"));
        KeyStore server = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certs.file("server.p12"))) {
            server.load(in, PW.toCharArray());
        }
        PrivateKey key = (PrivateKey) server.getKey("server", PW.toCharArray());
        assertThat(key.getAlgorithm()).isEqualTo("RSA");
        StringBuilder chain = new StringBuilder();
        for (Certificate certificate : server.getCertificateChain("server")) {
            chain.append(pem("CERTIFICATE", certificate.getEncoded()));
        }
        config.put(ProducerConfig.SSL_KEYSTORE_TYPE, "PEM");
        config.put(ProducerConfig.SSL_KEYSTORE_KEY, pem("PRIVATE KEY", key.getEncoded()));
        config.put(ProducerConfig.SSL_KEYSTORE_CERTIFICATE_CHAIN, chain.toString());
        send(config, topic, 50).forEach(CompletableFuture::join);
        assertThat(values(kafka.consume(topic, 50, Duration.ofSeconds(60)))).isEqualTo(expectedValues(50));
    }

    @Test
    void anExpiredClientCertificateRejectedAfterATls13HandshakeIsAnAuthenticationFailure() {
        // In TLS 1.3 the client's handshake is complete once it has sent its certificate and Finished; the broker
        // checks the certificate afterwards and answers with an alert instead of the first response. (A certificate
        // from a CA the broker does not name would not even be sent: the client would send none, as above.)
        String topic = newTopic("mtls-expired-client");
        Map<String, Object> config = tls("localhost", "MTLS");
        onlyProtocol(config, "TLSv1.3");
        withKeyStore(config, certs.expiredClientKeyStore());
        for (CompletableFuture<RecordMetadata> future : send(config, topic, 5,
                "mTLS expired client certificate rejected after a TLS 1.3 handshake")) {
            assertThat(TestProducers.failureOf(future)).isInstanceOf(SslAuthenticationException.class)
                    .hasMessageContaining("certificate");
        }
    }

    private static void onlyProtocol(Map<String, Object> config, String protocol) {
        config.put(ProducerConfig.SSL_PROTOCOL, protocol);
        config.put(ProducerConfig.SSL_ENABLED_PROTOCOLS, protocol);
    }

    /** Adds a PKCS12 client key store (mutual TLS) to {@code config}. */
    private static void withKeyStore(Map<String, Object> config, java.nio.file.Path store) {
        config.put(ProducerConfig.SSL_KEYSTORE_TYPE, "PKCS12");
        config.put(ProducerConfig.SSL_KEYSTORE_LOCATION, store.toString());
        config.put(ProducerConfig.SSL_KEYSTORE_PASSWORD, PW);
    }

    /** {@code config} trusting the test CA through inline PEM text instead of the trust store file. */
    private static Map<String, Object> inlinePemTrust(Map<String, Object> config) {
        config.remove(ProducerConfig.SSL_TRUSTSTORE_LOCATION);
        config.remove(ProducerConfig.SSL_TRUSTSTORE_PASSWORD);
        config.put(ProducerConfig.SSL_TRUSTSTORE_TYPE, "PEM");
        config.put(ProducerConfig.SSL_TRUSTSTORE_CERTIFICATES, certs.text("ca.pem"));
        return config;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + type
                + "-----\n";
    }
}
