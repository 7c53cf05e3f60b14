package dev.courier.producer.internals.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.producer.internals.metadata.Metadata;
import dev.courier.producer.internals.metadata.Node;
import dev.courier.producer.internals.protocol.ApiKey;
import dev.courier.producer.internals.util.Time;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The network client going back to bootstrap.servers when the brokers it knows are gone, against fake
 * brokers on real sockets: broker 1 is the old cluster, broker 2 the new one, which the bootstrap name
 * resolves to once the old one is gone.
 */
class RebootstrapTests {

    private final Time time = Time.SYSTEM;
    private FakeBroker oldBroker;
    private FakeBroker newBroker;
    private Metadata metadata;
    private NetworkClient client;

    @AfterEach
    void close() throws Exception {
        if (client != null) {
            client.close();
        }
        oldBroker.close();
        newBroker.close();
    }

    private void start(boolean rebootstrap) throws IOException {
        oldBroker = new FakeBroker(1);
        newBroker = new FakeBroker(2);
        AtomicReference<List<InetSocketAddress>> dns = new AtomicReference<>(List.of(oldBroker.address()));
        metadata = new Metadata(50, 200, 300_000, 300_000);
        metadata.bootstrap(dns.get(), () -> List.of(newBroker.address()));
        metadata.recovery(rebootstrap, 300_000);
        client = new NetworkClient(new Selector(1024 * 1024, -1, -1), metadata,
                NetworkClientConfig.defaults("rebootstrap-test").withRequestTimeoutMs(5_000).withReconnectBackoff(20, 100),
                time);
        pollUntil(() -> metadata.fetch().nodeById(1) != null);
        Node known = metadata.fetch().nodeById(1);
        pollUntil(() -> client.ready(known, time.monotonicMs()));
    }

    private void pollUntil(BooleanSupplier condition) {
        await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1)).until(() -> {
                    client.poll(10, time.monotonicMs());
                    return condition.getAsBoolean();
                });
    }

    @Test
    void whenEveryKnownBrokerFailsTheClientGoesBackToTheBootstrapServersResolvedAgain() throws IOException {
        start(true);
        oldBroker.close();
        metadata.requestUpdate();

        pollUntil(() -> metadata.fetch().nodeById(2) != null);

        assertThat(metadata.fetch().nodes()).extracting(Node::id).containsExactly(2);
        assertThat(newBroker.requests(ApiKey.METADATA.id)).isNotEmpty();
    }

    @Test
    void withStrategyNoneItKeepsToTheBrokersItKnows() throws IOException {
        start(false);
        oldBroker.close();
        metadata.requestUpdate();
        List<Node> known = metadata.fetch().nodes();

        pollUntil(() -> client.allBlackedOut(known, time.monotonicMs()));
        // With rebootstrap this is the moment it would switch; give it several more rounds of reconnects
        // (the reconnect backoff is at most 100 ms).
        long untilMs = time.monotonicMs() + 1_000;
        pollUntil(() -> time.monotonicMs() >= untilMs);

        assertThat(metadata.fetch().isBootstrapConfigured()).isFalse();
        assertThat(metadata.fetch().nodes()).extracting(Node::id).containsExactly(1);
        assertThat(newBroker.requests).isEmpty();
    }
}
