package dev.courier.benchmarks.perf;

import dev.courier.benchmarks.standin.StandInBroker;
import dev.courier.test.EmbeddedKafka;
import dev.courier.producer.testing.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.kafka.clients.admin.NewTopic;

/** Where the benchmark sends: the in-process Kafka broker, the loopback stand-in, or an external cluster. */
interface BenchBroker extends AutoCloseable {

    String bootstrapServers();

    /** One line for the report: what the broker was. */
    String description();

    void createTopic(String name, int partitions);

    /** Frees a topic's storage once a round is over; a no-op where nothing is stored. */
    void deleteTopic(String name);

    @Override
    void close();

    /** Settings every client needs to connect (security.protocol and ssl.* for TLS); none by default. */
    default Map<String, Object> clientConnectionSettings() {
        return Map.of();
    }

    /** The broker the options name: {@code --broker}, over TLS with {@code --tls}. */
    static BenchBroker open(PerfOptions options) throws IOException {
        return switch (options.broker()) {
            case "standin" -> options.tls() ? standInTls(options.partitions()) : standIn(options.partitions());
            case "external" -> external(options.bootstrapServers());
            default -> options.tls() ? embeddedTls() : embedded();
        };
    }

    static BenchBroker embedded() {
        EmbeddedKafka kafka = EmbeddedKafka.start(1);
        return new BenchBroker() {
            @Override
            public String bootstrapServers() {
                return kafka.bootstrapServers();
            }

            @Override
            public String description() {
                return "Apache Kafka " + Report.Machine.rivalVersion()
                        + " KRaft broker in the same JVM (one broker, replication factor 1), "
                        + "sharing the CPU with both clients";
            }

            @Override
            public void createTopic(String name, int partitions) {
                kafka.createTopic(name, partitions, 1);
            }

            @Override
            public void deleteTopic(String name) {
                deleteQuietly(kafka.admin(), name);
            }

            @Override
            public void close() {
                kafka.close();
            }
        };
    }

    /**
     * The in-process broker with an SSL listener (certificates made by keytool at start-up, see
     * {@link TestCertificates}); clients connect to it with TLSv1.3 and hostname verification, trusting the test CA.
     * Topics are still created over the plaintext listener.
     */
    static BenchBroker embeddedTls() {
        TestCertificates certificates = TestCertificates.get();
        String password = TestCertificates.PASSWORD;
        Map<String, String> brokerConfig = new HashMap<>();
        brokerConfig.put("ssl.keystore.type", "PKCS12");
        brokerConfig.put("ssl.keystore.location", certificates.file("server.p12").toString());
        brokerConfig.put("ssl.keystore.password", password);
        brokerConfig.put("ssl.key.password", password);
        EmbeddedKafka kafka = EmbeddedKafka.startWithListeners(Map.of("SSL", "SSL"), brokerConfig);
        String bootstrap = "localhost:" + kafka.listenerPort("SSL");
        Map<String, Object> client = tlsClientSettings(certificates);
        return new BenchBroker() {
            @Override
            public String bootstrapServers() {
                return bootstrap;
            }

            @Override
            public Map<String, Object> clientConnectionSettings() {
                return client;
            }

            @Override
            public String description() {
                return "Apache Kafka " + Report.Machine.rivalVersion()
                        + " KRaft broker in the same JVM (one broker, replication factor 1) through an SSL "
                        + "listener (TLSv1.3, RSA 2048 server certificate, no client certificate), sharing the CPU "
                        + "with both clients";
            }

            @Override
            public void createTopic(String name, int partitions) {
                kafka.createTopic(name, partitions, 1);
            }

            @Override
            public void deleteTopic(String name) {
                deleteQuietly(kafka.admin(), name);
            }

            @Override
            public void close() {
                kafka.close();
            }
        };
    }

    /**
     * What both clients get to connect over TLS to a broker presenting the test CA's {@code localhost} certificate.
     * Spelled out rather than left to each client's defaults, so that both provably run the same protocol (the
     * cipher suite is then the JDK's first TLSv1.3 choice for both) with hostname verification on.
     */
    private static Map<String, Object> tlsClientSettings(TestCertificates certificates) {
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("security.protocol", "SSL");
        client.put("ssl.truststore.type", "PKCS12");
        client.put("ssl.truststore.location", certificates.file("truststore.p12").toString());
        client.put("ssl.truststore.password", TestCertificates.PASSWORD);
        client.put("ssl.protocol", "TLSv1.3");
        client.put("ssl.enabled.protocols", "TLSv1.3");
        client.put("ssl.endpoint.identification.algorithm", "https");
        return client;
    }

    static BenchBroker standIn(int partitions) throws IOException {
        return standIn(StandInBroker.start(partitions), Map.of(), "");
    }

    /**
     * The stand-in speaking TLS 1.3 with the same server certificate (from {@link TestCertificates}) as
     * {@link #embeddedTls()}, and both clients with the same settings as there.
     */
    static BenchBroker standInTls(int partitions) throws IOException {
        TestCertificates certificates = TestCertificates.get();
        StandInBroker standIn = StandInBroker.startTls(partitions, serverContext(certificates));
        return standIn(standIn, tlsClientSettings(certificates),
                " through TLSv1.3 (RSA 2048 server certificate, no client certificate; the stand-in decrypts every "
                        + "request with the JDK's SSLEngine, on the same CPU)");
    }

    private static SSLContext serverContext(TestCertificates certificates) {
        char[] password = TestCertificates.PASSWORD.toCharArray();
        try (InputStream in = Files.newInputStream(certificates.file("server.p12"))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the stand-in's server certificate", e);
        }
    }

    private static BenchBroker standIn(StandInBroker standIn, Map<String, Object> client, String how) {
        return new BenchBroker() {
            @Override
            public String bootstrapServers() {
                return standIn.bootstrapServers();
            }

            @Override
            public Map<String, Object> clientConnectionSettings() {
                return client;
            }

            @Override
            public String description() {
                return "broker stand-in on loopback in the same JVM (acknowledges produce requests without storing "
                        + "them)" + how + ": measures the clients in isolation";
            }

            @Override
            public void createTopic(String name, int partitions) {
                // every topic exists, with the stand-in's partition count
            }

            @Override
            public void deleteTopic(String name) {
                // nothing stored
            }

            @Override
            public void close() {
                standIn.close();
            }
        };
    }

    static BenchBroker external(String bootstrapServers) {
        Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers));
        return new BenchBroker() {
            @Override
            public String bootstrapServers() {
                return bootstrapServers;
            }

            @Override
            public String description() {
                return "external cluster at " + bootstrapServers;
            }

            @Override
            public void createTopic(String name, int partitions) {
                try {
                    admin.createTopics(List.of(new NewTopic(name, partitions, (short) -1))).all()
                            .get(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted creating " + name, e);
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    throw new IllegalStateException("could not create topic " + name, e);
                }
            }

            @Override
            public void deleteTopic(String name) {
                deleteQuietly(admin, name);
            }

            @Override
            public void close() {
                admin.close();
            }
        };
    }

    private static void deleteQuietly(Admin admin, String name) {
        try {
            admin.deleteTopics(List.of(name)).all().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            org.slf4j.LoggerFactory.getLogger(BenchBroker.class).warn("could not delete topic {}", name, e);
        }
    }
}
