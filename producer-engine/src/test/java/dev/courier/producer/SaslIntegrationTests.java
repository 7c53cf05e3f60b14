package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.errors.SaslAuthenticationException;
import dev.courier.producer.errors.TimeoutException;
import dev.courier.producer.errors.ClusterAuthorizationException;
import dev.courier.producer.errors.TopicAuthorizationException;
import dev.courier.producer.serialization.StringSerializer;
import dev.courier.producer.internals.metadata.Metadata;
import dev.courier.producer.internals.metadata.Node;
import dev.courier.producer.internals.network.NetworkClient;
import dev.courier.producer.internals.network.NetworkClientConfig;
import dev.courier.producer.internals.network.Selector;
import dev.courier.producer.internals.security.Authenticators;
import dev.courier.producer.internals.security.SaslSettings;
import dev.courier.producer.internals.util.Time;
import dev.courier.test.EmbeddedKafka;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.awaitility.Awaitility.await;

/**
 * SASL_PLAINTEXT against a real broker: PLAIN, SCRAM-SHA-256/512 (users created through the admin client) and
 * OAUTHBEARER with unsecured tokens, each read back by the official consumer; wrong credentials and a PLAINTEXT
 * client on the SASL port fail promptly; the StandardAuthorizer's ACLs fail a denied topic's records next to an
 * allowed topic's that succeed.
 */
class SaslIntegrationTests {

    private static final String PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
    private static final String SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";
    private static final String OAUTH_MODULE = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule";
    private static final String ALICE_PASSWORD = "alice-secret-Pa55";
    private static final String BOB_PASSWORD = "bob-secret-Pa55";
    /** A user who may describe one topic and write none: the cluster refuses her idempotent producer an id. */
    private static final String CAROL_PASSWORD = "carol-secret-Pa55";
    private static final Duration PROMPTLY = Duration.ofSeconds(20);

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startCluster() throws Exception {
        Map<String, String> broker = new HashMap<>();
        broker.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER");
        broker.put("listener.name.sasl.plain.sasl.jaas.config", PLAIN_MODULE + " required user_alice=\""
                + ALICE_PASSWORD + "\" user_bob=\"" + BOB_PASSWORD + "\" user_carol=\"" + CAROL_PASSWORD + "\";");
        broker.put("listener.name.sasl.scram-sha-256.sasl.jaas.config", SCRAM_MODULE + " required;");
        broker.put("listener.name.sasl.scram-sha-512.sasl.jaas.config", SCRAM_MODULE + " required;");
        broker.put("listener.name.sasl.oauthbearer.sasl.jaas.config", OAUTH_MODULE
                + " required unsecuredLoginStringClaim_sub=\"broker\";");
        broker.put("connections.max.reauth.ms", "60000"); // brokers grant a session lifetime (KIP-368)
        broker.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        // the PLAINTEXT listeners (replication, controller, the harness' admin and consumer) are User:ANONYMOUS
        broker.put("super.users", "User:ANONYMOUS;User:alice;User:scram256;User:scram512;User:oauth-user");
        kafka = EmbeddedKafka.startWithSaslListener(broker);
        SecureBrokers.createScramUsers(kafka);
    }

    @AfterAll
    static void stopCluster() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Map<String, Object> saslConfig(String mechanism, String jaas) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS, kafka.saslBootstrapServers());
        config.put(ProducerConfig.LINGER_MS, 5);
        config.put(ProducerConfig.SECURITY_PROTOCOL, "SASL_PLAINTEXT");
        config.put(ProducerConfig.SASL_MECHANISM, mechanism);
        config.put(ProducerConfig.SASL_JAAS_CONFIG, jaas);
        return config;
    }

    private static String userJaas(String module, String user, String password) {
        return module + " required username=\"" + user + "\" password=\"" + password + "\";";
    }

    private static void roundTrip(Map<String, Object> config, Map<String, String> consumerSecurity) {
        String topic = kafka.uniqueTopic("sasl-" + config.get(ProducerConfig.SASL_MECHANISM));
        kafka.createTopic(topic, 2, 1);
        try (Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            List<CompletableFuture<RecordMetadata>> futures = TestProducers.sendNumbered(producer, topic, 20);
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("Round trip over " + config.get(ProducerConfig.SASL_MECHANISM) + " failed", e);
        }
        List<ConsumerRecord<byte[], byte[]>> records = kafka.consumeOverSasl(topic, 20, Duration.ofSeconds(30),
                consumerSecurity);
        assertThat(records).hasSize(20);
        assertThat(records).extracting(r -> new String(r.value())).contains("value-0", "value-19");
    }

    @Test
    void plainRoundTripIsReadBackByTheOfficialConsumerOverSasl() {
        String jaas = userJaas(PLAIN_MODULE, "alice", ALICE_PASSWORD);
        roundTrip(saslConfig("PLAIN", jaas), Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", jaas));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SCRAM-SHA-256", "SCRAM-SHA-512"})
    void scramRoundTripWithUsersCreatedThroughTheAdminClient(String mechanism) {
        String user = mechanism.endsWith("256") ? "scram256" : "scram512";
        String jaas = userJaas(SCRAM_MODULE, user, user + "-secret");
        roundTrip(saslConfig(mechanism, jaas), Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism",
                mechanism, "sasl.jaas.config", jaas));
    }

    @Test
    void oauthBearerRoundTripWithAnUnsecuredToken() {
        String jaas = OAUTH_MODULE + " required unsecuredLoginStringClaim_sub=\"oauth-user\";";
        roundTrip(saslConfig("OAUTHBEARER", jaas), Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism",
                "OAUTHBEARER", "sasl.jaas.config", jaas));
    }

    @Test
    void oauthBearerRoundTripWithATokenFromAnOidcEndpointServedByTheTest() throws Exception {
        // the broker's unsecured validator accepts only alg=none tokens, so that is what this endpoint issues
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        long now = System.currentTimeMillis() / 1000;
        String jwt = b64.encodeToString("{\"alg\":\"none\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"sub\":\"oauth-user\",\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)) + ".";
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", exchange -> {
            calls.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            byte[] body = ("{\"access_token\":\"" + jwt + "\",\"expires_in\":3600}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Map<String, Object> config = saslConfig("OAUTHBEARER", OAUTH_MODULE
                    + " required clientId=\"courier\" clientSecret=\"oidc-secret\" scope=\"kafka\";");
            config.put(ProducerConfig.SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL,
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/token");
            String unsecured = OAUTH_MODULE + " required unsecuredLoginStringClaim_sub=\"oauth-user\";";
            roundTrip(config, Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "OAUTHBEARER",
                    "sasl.jaas.config", unsecured));
            assertThat(calls.get()).isEqualTo(1);
        } finally {
            server.stop(0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"PLAIN", "SCRAM-SHA-256"})
    void aWrongPasswordFailsTheRecordsPromptlyWithoutRevealingThePassword(String mechanism) {
        String wrongPassword = "wrong-Pa55word-" + mechanism;
        String user = mechanism.equals("PLAIN") ? "alice" : "scram256";
        String module = mechanism.equals("PLAIN") ? PLAIN_MODULE : SCRAM_MODULE;
        Map<String, Object> config = saslConfig(mechanism, userJaas(module, user, wrongPassword));
        String topic = kafka.uniqueTopic("wrong-password");
        Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(), new StringSerializer());
        try {
            FirstFailureClock clock = FirstFailureClock.start("SASL_PLAINTEXT " + mechanism + " wrong password");
            List<CompletableFuture<RecordMetadata>> futures = TestProducers.sendNumbered(producer, topic, 3);
            futures.forEach(clock::watch);
            for (CompletableFuture<RecordMetadata> future : futures) {
                assertThatThrownBy(() -> future.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS))
                        .hasCauseInstanceOf(SaslAuthenticationException.class)
                        .satisfies(e -> assertThat(e.getCause().getMessage()).contains(mechanism)
                                .doesNotContain(wrongPassword));
            }
            clock.log();
            // later records fail the same way; send itself never stalls
            CompletableFuture<RecordMetadata> later = producer.send(new ProducerRecord<>(topic, "later"));
            assertThatThrownBy(() -> later.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
            assertThatThrownBy(() -> producer.partitionsFor(topic)).isInstanceOf(SaslAuthenticationException.class)
                    .hasMessageNotContaining(wrongPassword);
        } finally {
            CompletableFuture<Void> closed = CompletableFuture.runAsync(producer::close);
            assertThat(closed).succeedsWithin(PROMPTLY);
        }
    }

    @Test
    void aPlaintextClientOnTheSaslPortFailsWithinMaxBlockAndCloses() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS, kafka.saslBootstrapServers());
        config.put(ProducerConfig.MAX_BLOCK_MS, 3_000);
        String topic = kafka.uniqueTopic("plaintext-on-sasl");
        ch.qos.logback.classic.Logger networkLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                NetworkClient.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        networkLog.addAppender(logged);
        Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(), new StringSerializer());
        try {
            FirstFailureClock clock = FirstFailureClock.start("PLAINTEXT client on a SASL port (max.block.ms=3000)");
            CompletableFuture<RecordMetadata> future = clock.watch(producer.send(new ProducerRecord<>(topic, "x")));
            assertThatThrownBy(() -> future.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TimeoutException.class);
            clock.log();
            assertThat(logged.list).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
                assertThat(event.getFormattedMessage()).contains("security.protocol does not match");
            });
        } finally {
            networkLog.detachAppender(logged);
            CompletableFuture<Void> closed = CompletableFuture.runAsync(producer::close);
            assertThat(closed).succeedsWithin(PROMPTLY);
        }
    }

    @Test
    void aTopicDeniedByAclFailsItsRecordsPromptlyWhileAnAllowedTopicWorks() throws Exception {
        String allowed = kafka.uniqueTopic("acl-allowed");
        String hidden = kafka.uniqueTopic("acl-hidden");          // no ACL at all: metadata says TOPIC_AUTHORIZATION_FAILED
        String readOnly = kafka.uniqueTopic("acl-describe-only"); // described but not writable: Produce is refused
        for (String topic : List.of(allowed, hidden, readOnly)) {
            kafka.createTopic(topic, 1, 1);
        }
        List<AclBinding> acls = List.of(
                acl(allowed, AclOperation.WRITE), acl(allowed, AclOperation.DESCRIBE), acl(readOnly, AclOperation.DESCRIBE));
        kafka.admin().createAcls(acls).all().get(30, TimeUnit.SECONDS);
        await("ACLs visible").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> kafka.admin()
                .describeAcls(AclBindingFilter.ANY).values().get().containsAll(acls));

        Map<String, Object> config = saslConfig("PLAIN", userJaas(PLAIN_MODULE, "bob", BOB_PASSWORD));
        try (Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            FirstFailureClock hiddenClock = FirstFailureClock.start("topic without any ACL (metadata refused)");
            List<CompletableFuture<RecordMetadata>> hiddenFutures = TestProducers.sendNumbered(producer, hidden, 3);
            hiddenFutures.forEach(hiddenClock::watch);
            FirstFailureClock readOnlyClock = FirstFailureClock.start("topic with DESCRIBE but no WRITE (produce refused)");
            List<CompletableFuture<RecordMetadata>> readOnlyFutures = TestProducers.sendNumbered(producer, readOnly, 3);
            readOnlyFutures.forEach(readOnlyClock::watch);
            List<CompletableFuture<RecordMetadata>> allowedFutures = TestProducers.sendNumbered(producer, allowed, 3);
            for (CompletableFuture<RecordMetadata> future : allowedFutures) {
                assertThat(future).succeedsWithin(Duration.ofSeconds(60));
            }
            for (CompletableFuture<RecordMetadata> future : hiddenFutures) {
                assertThatThrownBy(() -> future.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS))
                        .hasCauseInstanceOf(TopicAuthorizationException.class);
            }
            for (CompletableFuture<RecordMetadata> future : readOnlyFutures) {
                assertThatThrownBy(() -> future.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS))
                        .hasCauseInstanceOf(TopicAuthorizationException.class);
            }
            hiddenClock.log();
            readOnlyClock.log();
        }
        assertThat(kafka.consume(allowed, 3, Duration.ofSeconds(30))).hasSize(3);
    }

    @Test
    void anIdempotentProducerTheClusterRefusesAnIdFailsItsRecordsPromptlyWithClusterAuthorizationException()
            throws Exception {
        String topic = kafka.uniqueTopic("acl-no-write");
        kafka.createTopic(topic, 1, 1);
        // Describe only: the metadata is there, but with Write on no topic (and no IdempotentWrite on the
        // cluster) InitProducerId is refused (KIP-679).
        AclBinding describe = acl("User:carol", topic, AclOperation.DESCRIBE);
        kafka.admin().createAcls(List.of(describe)).all().get(30, TimeUnit.SECONDS);
        await("ACL visible").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> kafka.admin()
                .describeAcls(AclBindingFilter.ANY).values().get().contains(describe));

        Map<String, Object> config = saslConfig("PLAIN", userJaas(PLAIN_MODULE, "carol", CAROL_PASSWORD));
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE, true);
        try (Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            FirstFailureClock clock = FirstFailureClock.start("idempotent producer refused a producer id");
            List<CompletableFuture<RecordMetadata>> futures = TestProducers.sendNumbered(producer, topic, 3);
            futures.forEach(clock::watch);
            for (CompletableFuture<RecordMetadata> future : futures) {
                assertThatThrownBy(() -> future.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS))
                        .hasCauseInstanceOf(ClusterAuthorizationException.class)
                        .hasMessageNotContaining(CAROL_PASSWORD);
            }
            clock.log();
        }
    }

    @Test
    void retiresAndReauthenticatesAConnectionBeforeTheSessionLifetimeEnds() {
        ShiftedTime time = new ShiftedTime();
        Metadata metadata = new Metadata(100, 1_000, 300_000, 300_000);
        String[] hostPort = kafka.saslBootstrapServers().split(":");
        metadata.bootstrap(List.of(InetSocketAddress.createUnresolved(hostPort[0], Integer.parseInt(hostPort[1]))));
        SaslSettings sasl = SaslSettings.parse("PLAIN", userJaas(PLAIN_MODULE, "alice", ALICE_PASSWORD), null);
        NetworkClient client = new NetworkClient(new Selector(1024 * 1024, -1, -1), metadata,
                NetworkClientConfig.defaults("sasl-reauth"), time, Authenticators.create(sasl, time));
        try {
            pollUntil(client, time, () -> !metadata.fetch().isBootstrapConfigured());
            Node node = metadata.fetch().nodes().get(0);
            pollUntil(client, time, () -> client.ready(node, time.monotonicMs()));

            time.shiftMs(58_000); // past 95% of the 60 s lifetime the broker granted
            assertThat(client.isReady(node, time.monotonicMs())).as("an expiring session takes no new request").isFalse();
            pollUntil(client, time, () -> client.ready(node, time.monotonicMs()));

            int version = metadata.updateVersion();
            metadata.requestUpdate();
            pollUntil(client, time, () -> metadata.updateVersion() > version);
        } finally {
            client.close();
        }
    }

    private static void pollUntil(NetworkClient client, Time time, java.util.function.BooleanSupplier condition) {
        await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1)).until(() -> {
                    client.poll(20, time.monotonicMs());
                    return condition.getAsBoolean();
                });
    }

    /** The system clock, moved forward by the test. */
    private static final class ShiftedTime implements Time {
        private volatile long shiftMs;

        void shiftMs(long ms) {
            shiftMs += ms;
        }

        @Override
        public long milliseconds() {
            return System.currentTimeMillis() + shiftMs;
        }

        @Override
        public long nanoseconds() {
            return System.nanoTime() + shiftMs * 1_000_000L;
        }
    }

    private static AclBinding acl(String topic, AclOperation operation) {
        return acl("User:bob", topic, operation);
    }

    private static AclBinding acl(String principal, String topic, AclOperation operation) {
        return new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}
