package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.errors.SaslAuthenticationException;
import dev.courier.producer.serialization.StringSerializer;
import dev.courier.producer.testing.EmbeddedKafka;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kerby.kerberos.kerb.server.SimpleKdcServer;
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
 * <p>The JDK reads the KDC's address from the JVM-wide {@code java.security.krb5.conf}; it is set here and restored
 * afterwards, and the broker's login module is told to re-read it ({@code refreshKrb5Config}) in case another test
 * of the same JVM loaded Kerberos settings before.
 */
class GssapiIntegrationTests {

    private static final String REALM = "COURIER.TEST";
    private static final String KRB5_MODULE = "com.sun.security.auth.module.Krb5LoginModule";
    private static final Duration PROMPTLY = Duration.ofSeconds(20);

    private static Path dir;
    private static SimpleKdcServer kdc;
    private static EmbeddedKafka kafka;
    private static String previousKrb5Conf;

    @BeforeAll
    static void startKdcAndBroker() throws Exception {
        dir = Files.createTempDirectory("courier-kdc-");
        int kdcPort = freePort();
        previousKrb5Conf = System.getProperty("java.security.krb5.conf");
        kdc = new SimpleKdcServer();
        kdc.setWorkDir(dir.toFile());
        kdc.setKdcHost("localhost");
        kdc.setKdcRealm(REALM);
        kdc.setKdcTcpPort(kdcPort);
        kdc.setAllowUdp(false);
        kdc.init();
        kdc.start();
        kdc.createAndExportPrincipals(keytab("broker").toFile(), "kafka/localhost");
        kdc.createAndExportPrincipals(keytab("courier").toFile(), "courier");
        // Our own krb5.conf (Kerby's init set the property to one of its own): TCP only, and no DNS canonicalization,
        // so that the service principal is kafka/localhost whatever the machine's resolver makes of localhost.
        Path krb5 = dir.resolve("krb5.conf");
        Files.writeString(krb5, String.join("\n",
                "[libdefaults]",
                "  default_realm = " + REALM,
                "  udp_preference_limit = 1",
                "  dns_lookup_kdc = false",
                "  dns_lookup_realm = false",
                "  dns_canonicalize_hostname = false",
                "  rdns = false",
                "[realms]",
                "  " + REALM + " = {",
                "    kdc = localhost:" + kdcPort,
                "  }",
                ""), StandardCharsets.UTF_8);
        System.setProperty("java.security.krb5.conf", krb5.toString());

        Map<String, String> broker = new HashMap<>();
        broker.put("sasl.enabled.mechanisms", "GSSAPI");
        broker.put("sasl.kerberos.service.name", "kafka");
        broker.put("listener.name.sasl.gssapi.sasl.jaas.config", KRB5_MODULE + " required useKeyTab=true storeKey=true"
                + " refreshKrb5Config=true keyTab=\"" + keytab("broker") + "\" principal=\"kafka/localhost@" + REALM
                + "\";");
        kafka = EmbeddedKafka.startWithListeners(Map.of(EmbeddedKafka.SASL_LISTENER, "SASL_PLAINTEXT"), broker);
    }

    @AfterAll
    static void stopKdcAndBroker() throws Exception {
        try {
            if (kafka != null) {
                kafka.close();
            }
            if (kdc != null) {
                kdc.stop();
            }
        } finally {
            if (previousKrb5Conf == null) {
                System.clearProperty("java.security.krb5.conf");
            } else {
                System.setProperty("java.security.krb5.conf", previousKrb5Conf);
            }
            deleteQuietly(dir);
        }
    }

    private static Path keytab(String name) {
        return dir.resolve(name + ".keytab");
    }

    /** GSSAPI settings as a Kafka user writes them, for Courier and the official consumer alike. */
    private static Map<String, String> gssapi(Path keytab) {
        Map<String, String> settings = new HashMap<>();
        settings.put("security.protocol", "SASL_PLAINTEXT");
        settings.put("sasl.mechanism", "GSSAPI");
        settings.put("sasl.kerberos.service.name", "kafka");
        settings.put("sasl.jaas.config", KRB5_MODULE + " required useKeyTab=true storeKey=true keyTab=\"" + keytab
                + "\" principal=\"courier@" + REALM + "\";");
        return settings;
    }

    private static Producer<String, String> producer(Map<String, String> security) {
        Map<String, Object> config = new HashMap<>(security);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS, kafka.saslBootstrapServers());
        config.put(ProducerConfig.LINGER_MS, 5);
        return new CourierProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static List<CompletableFuture<RecordMetadata>> send(Producer<String, String> producer, String topic,
                                                                int count) {
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            futures.add(producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i)));
        }
        return futures;
    }

    @Test
    void recordsSentWithAKeytabLoginAreReadBackByTheOfficialConsumerOverGssapi() throws Exception {
        String topic = kafka.uniqueTopic("gssapi");
        kafka.createTopic(topic, 2, 1);
        Map<String, String> security = gssapi(keytab("courier"));
        try (Producer<String, String> producer = producer(security)) {
            CompletableFuture.allOf(send(producer, topic, 50).toArray(CompletableFuture[]::new))
                    .get(60, TimeUnit.SECONDS);
        }
        List<ConsumerRecord<byte[], byte[]>> records = kafka.consumeOverSasl(topic, 50, Duration.ofSeconds(60),
                security);
        assertThat(records).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .hasSize(50).contains("value-0", "value-49");
    }

    @Test
    void aKeytabThatIsNotThereFailsTheRecordsPromptlyAsAnAuthenticationError() {
        expectAuthenticationFailure(gssapi(dir.resolve("missing.keytab")), "GSSAPI keytab missing", "keyTab");
    }

    @Test
    void aServiceNameTheKdcDoesNotKnowFailsTheRecordsPromptlyAsAnAuthenticationError() {
        Map<String, String> security = gssapi(keytab("courier"));
        security.put("sasl.kerberos.service.name", "not-kafka");
        expectAuthenticationFailure(security, "GSSAPI service principal unknown to the KDC", "GSSAPI");
    }

    private static void expectAuthenticationFailure(Map<String, String> security, String failureCase, String says) {
        Producer<String, String> producer = producer(security);
        try {
            FirstFailureClock clock = FirstFailureClock.start(failureCase);
            List<CompletableFuture<RecordMetadata>> futures = send(producer, kafka.uniqueTopic("gssapi-no-keytab"), 3);
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteQuietly(Path root) {
        if (root == null) {
            return;
        }
        File[] files = root.toFile().listFiles();
        if (files != null) {
            for (File file : files) {
                if (file.isDirectory()) {
                    deleteQuietly(file.toPath());
                } else if (!file.delete()) {
                    file.deleteOnExit();
                }
            }
        }
        if (!root.toFile().delete()) {
            root.toFile().deleteOnExit();
        }
    }
}
