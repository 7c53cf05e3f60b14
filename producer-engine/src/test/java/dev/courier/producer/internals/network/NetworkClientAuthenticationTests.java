package dev.courier.producer.internals.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.producer.internals.events.EngineEvents;
import dev.courier.producer.internals.events.RecordingListener;

import dev.courier.producer.errors.SaslAuthenticationException;
import dev.courier.producer.internals.metadata.Metadata;
import dev.courier.producer.internals.metadata.Node;
import dev.courier.producer.internals.protocol.ApiKey;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.security.Authenticators;
import dev.courier.producer.internals.security.SaslSettings;
import dev.courier.producer.internals.util.ManualTime;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** NetworkClient driving a SASL authenticator between ApiVersions and READY, against the fake broker. */
class NetworkClientAuthenticationTests {

    private static final String PASSWORD = "hunter2-secret";

    private final ManualTime time = new ManualTime();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private FakeBroker broker;
    private Metadata metadata;
    private NetworkClient client;

    @BeforeEach
    void startBroker() throws IOException {
        broker = new FakeBroker(1);
        resources.add(broker);
        broker.apiRanges = Map.of((short) 0, new short[] {0, 11}, (short) 3, new short[] {0, 12},
                (short) 17, new short[] {0, 1}, (short) 18, new short[] {0, 3}, (short) 22, new short[] {0, 4},
                (short) 36, new short[] {0, 2});
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private void client(NetworkClientConfig config) {
        metadata = new Metadata(50, 200, 300_000, 300_000);
        metadata.bootstrap(List.of(broker.address()));
        SaslSettings sasl = SaslSettings.parse("PLAIN",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\" password=\""
                        + PASSWORD + "\";", null);
        client = new NetworkClient(new Selector(1024 * 1024, -1, -1), metadata, config, time,
                Authenticators.create(sasl, time));
        resources.add(client);
    }

    private static NetworkClientConfig config() {
        return NetworkClientConfig.defaults("test-client").withRequestTimeoutMs(30_000).withReconnectBackoff(20, 100);
    }

    private void pollUntil(BooleanSupplier condition) {
        await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1)).until(() -> {
                    client.poll(10, time.monotonicMs());
                    return condition.getAsBoolean();
                });
    }

    private List<Short> apiKeysSeen() {
        List<Short> keys = new ArrayList<>();
        for (FakeBroker.Request request : broker.requests) {
            keys.add(request.apiKey());
        }
        return keys;
    }

    @Test
    void authenticatesAfterApiVersionsAndBeforeAnyOtherRequest() {
        client(config());

        pollUntil(() -> metadata.fetch().nodeById(1) != null);

        assertThat(apiKeysSeen()).startsWith(ApiKey.API_VERSIONS.id, ApiKey.SASL_HANDSHAKE.id,
                ApiKey.SASL_AUTHENTICATE.id, ApiKey.METADATA.id);
        assertThat(broker.requests(ApiKey.SASL_HANDSHAKE.id).get(0).apiVersion()).isEqualTo((short) 1);
        assertThat(broker.requests(ApiKey.SASL_AUTHENTICATE.id).get(0).apiVersion()).isEqualTo((short) 2);
        assertThat(metadata.authenticationFailure()).isNull();
    }

    @Test
    void aRefusedAuthenticationClosesTheConnectionAndIsReportedToMetadata() {
        broker.saslAuthenticateError = Errors.SASL_AUTHENTICATION_FAILED.code();
        client(config());

        pollUntil(() -> metadata.authenticationFailure() != null);

        assertThat(metadata.authenticationFailure()).isInstanceOf(SaslAuthenticationException.class)
                .hasMessageContaining("Invalid username or password").hasMessageNotContaining(PASSWORD);
        assertThat(broker.requests(ApiKey.METADATA.id)).isEmpty();
        Node bootstrap = metadata.fetch().nodes().get(0);
        pollUntil(() -> client.connectionFailed(bootstrap));
    }

    @Test
    void aRefusedAuthenticationIsReportedToEventListenersWithoutTheSecret() {
        broker.saslAuthenticateError = Errors.SASL_AUTHENTICATION_FAILED.code();
        client(config());
        RecordingListener listener = new RecordingListener();
        client.events(EngineEvents.of(List.of(listener)));

        pollUntil(() -> listener.kinds().contains("AuthenticationFailed"));

        assertThat(listener.events).filteredOn(e -> e.kind().equals("AuthenticationFailed"))
                .extracting(e -> (String) e.payload()).first().asString()
                .contains("Invalid username or password").doesNotContain(PASSWORD);
        assertThat(listener.kinds()).contains("ConnectionFailed").doesNotContain("Connected");
    }

    @Test
    void authenticationCountsAgainstTheConnectionSetupTimeout() {
        broker.silentApiKeys = Set.of(ApiKey.SASL_HANDSHAKE.id);
        client(config().withConnectionSetupTimeout(1_000, 1_000));
        Node bootstrap = metadata.fetch().nodes().get(0);

        pollUntil(() -> !broker.requests(ApiKey.SASL_HANDSHAKE.id).isEmpty());
        assertThat(client.isReady(bootstrap, time.monotonicMs())).isFalse();
        assertThat(client.connectionFailed(bootstrap)).isFalse();

        time.sleep(1_300); // past the setup timeout and its jitter, well inside request.timeout.ms
        pollUntil(() -> client.connectionFailed(bootstrap));
        assertThat(metadata.authenticationFailure()).as("a timeout is not a refusal").isNull();
    }

    @Test
    void retiresTheConnectionBeforeTheSessionLifetimeEndsAndAuthenticatesANewOne() {
        broker.saslSessionLifetimeMs = 10_000;
        broker.topics.put("orders", 1);
        client(config());
        pollUntil(() -> metadata.fetch().nodeById(1) != null);
        Node node = metadata.fetch().nodeById(1);
        pollUntil(() -> client.ready(node, time.monotonicMs()));
        int handshakes = broker.requests(ApiKey.SASL_HANDSHAKE.id).size();

        time.sleep(8_000); // before 85% of the lifetime: still usable
        assertThat(client.isReady(node, time.monotonicMs())).isTrue();
        time.sleep(1_600); // past 95%: no new request on this session
        assertThat(client.isReady(node, time.monotonicMs())).isFalse();

        pollUntil(() -> client.ready(node, time.monotonicMs()));
        assertThat(broker.requests(ApiKey.SASL_HANDSHAKE.id).size()).isGreaterThan(handshakes);
        assertThat(client.connectionFailed(node)).isFalse();
    }
}
