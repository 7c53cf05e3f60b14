package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.errors.SaslAuthenticationException;
import dev.courier.producer.errors.TimeoutException;
import dev.courier.producer.errors.TopicAuthorizationException;
import dev.courier.producer.serialization.StringSerializer;
import dev.courier.producer.testing.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
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
    private static final Duration PROMPTLY = Duration.ofSeconds(20);

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startCluster() throws Exception {
        Map<String, String> broker = new HashMap<>();
        broker.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER");
        broker.put("listener.name.sasl.plain.sasl.jaas.config", PLAIN_MODULE + " required user_alice=\""
                + ALICE_PASSWORD + "\" user_bob=\"" + BOB_PASSWORD + "\";");
        broker.put("listener.name.sasl.scram-sha-256.sasl.jaas.config", SCRAM_MODULE + " required;");
        broker.put("listener.name.sasl.scram-sha-512.sasl.jaas.config", SCRAM_MODULE + " required;");
        broker.put("listener.name.sasl.oauthbearer.sasl.jaas.config", OAUTH_MODULE
                + " required unsecuredLoginStringClaim_sub=\"broker\";");
        broker.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        // the PLAINTEXT listeners (replication, controller, the harness' admin and consumer) are User:ANONYMOUS
        broker.put("super.users", "User:ANONYMOUS;User:alice;User:scram256;User:scram512;User:oauth-user");
        kafka = EmbeddedKafka.startWithSaslListener(broker);
        kafka.admin().alterUserScramCredentials(List.of(
                new UserScramCredentialUpsertion("scram256", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096),
                        "scram256-secret"),
                new UserScramCredentialUpsertion("scram512", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                        "scram512-secret"))).all().get(30, TimeUnit.SECONDS);
        await("SCRAM users known").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> kafka.admin()
                .describeUserScramCredentials(List.of("scram256", "scram512")).all().get().size() == 2);
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

    /** Sends {@code count} records and returns their futures. */
    private static List<CompletableFuture<RecordMetadata>> send(Producer<String, String> producer, String topic,
                                                                int count) {
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            futures.add(producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i)));
        }
        return futures;
    }

    private static void roundTrip(Map<String, Object> config, Map<String, String> consumerSecurity) {
        String topic = kafka.uniqueTopic("sasl-" + config.get(ProducerConfig.SASL_MECHANISM));
        kafka.createTopic(topic, 2, 1);
        try (Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            List<CompletableFuture<RecordMetadata>> futures = send(producer, topic, 20);
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
            List<CompletableFuture<RecordMetadata>> futures = send(producer, topic, 3);
            for (CompletableFuture<RecordMetadata> future : futures) {
                assertThatThrownBy(() -> future.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS))
                        .hasCauseInstanceOf(SaslAuthenticationException.class)
                        .satisfies(e -> assertThat(e.getCause().getMessage()).contains(mechanism)
                                .doesNotContain(wrongPassword));
            }
            // later records fail the same way; send itself never stalls
            CompletableFuture<RecordMetadata> later = producer.send(new ProducerRecord<>(topic, "later"));
            assertThatThrownBy(() -> later.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
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
        Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(), new StringSerializer());
        try {
            CompletableFuture<RecordMetadata> future = producer.send(new ProducerRecord<>(topic, "x"));
            assertThatThrownBy(() -> future.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TimeoutException.class);
        } finally {
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
            List<CompletableFuture<RecordMetadata>> hiddenFutures = send(producer, hidden, 3);
            List<CompletableFuture<RecordMetadata>> readOnlyFutures = send(producer, readOnly, 3);
            List<CompletableFuture<RecordMetadata>> allowedFutures = send(producer, allowed, 3);
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
        }
        assertThat(kafka.consume(allowed, 3, Duration.ofSeconds(30))).hasSize(3);
    }

    private static AclBinding acl(String topic, AclOperation operation) {
        return new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                new AccessControlEntry("User:bob", "*", operation, AclPermissionType.ALLOW));
    }
}
