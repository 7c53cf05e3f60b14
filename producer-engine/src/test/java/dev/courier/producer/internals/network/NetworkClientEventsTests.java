package dev.courier.producer.internals.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.producer.ProducerEventListener.Connection;
import dev.courier.producer.internals.events.EngineEvents;
import dev.courier.producer.internals.events.RecordingListener;
import dev.courier.producer.internals.metadata.Metadata;
import dev.courier.producer.internals.metadata.Node;
import dev.courier.producer.internals.util.Time;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The network client reports connections made, lost and refused to the event listeners. */
class NetworkClientEventsTests {

    private final RecordingListener listener = new RecordingListener();
    private final Time time = Time.SYSTEM;
    private FakeBroker broker;
    private Metadata metadata;
    private NetworkClient client;

    @AfterEach
    void close() throws Exception {
        if (client != null) {
            client.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private void start(InetSocketAddress bootstrap) {
        metadata = new Metadata(50, 200, 300_000, 300_000);
        metadata.bootstrap(List.of(bootstrap));
        client = new NetworkClient(new Selector(100 * 1024 * 1024, -1, -1), metadata,
                NetworkClientConfig.defaults("events").withRequestTimeoutMs(5_000).withReconnectBackoff(20, 100), time);
        client.events(EngineEvents.of(List.of(listener)));
    }

    private void pollUntil(BooleanSupplier condition) {
        await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1)).until(() -> {
                    client.poll(10, time.monotonicMs());
                    return condition.getAsBoolean();
                });
    }

    @Test
    void aReadyConnectionIsReportedConnectedAndThenDisconnectedWithItsNodeAndAddress() throws Exception {
        broker = new FakeBroker(1);
        start(broker.address());
        pollUntil(() -> metadata.fetch().nodeById(1) != null);
        Node node = metadata.fetch().nodeById(1);
        pollUntil(() -> client.ready(node, time.monotonicMs()));

        String address = node.host() + ":" + node.port();
        assertThat(listener.of(Connection.class)).contains(new Connection(1, address));
        assertThat(listener.kinds()).doesNotContain("Disconnected", "ConnectionFailed");

        client.disconnect(node.idString());
        pollUntil(() -> listener.kinds().contains("Disconnected"));
        assertThat(listener.events).filteredOn(e -> e.kind().equals("Disconnected"))
                .extracting(RecordingListener.Event::payload).containsExactly(new Connection(1, address));
    }

    @Test
    void aRefusedConnectionIsReportedFailedNotDisconnected() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        start(new InetSocketAddress("127.0.0.1", closedPort));
        Node node = new Node(7, "127.0.0.1", closedPort, null);

        client.ready(node, time.monotonicMs());
        pollUntil(() -> client.connectionFailed(node));

        assertThat(listener.events).extracting(RecordingListener.Event::kind).contains("ConnectionFailed")
                .doesNotContain("Connected", "Disconnected");
        assertThat(listener.events).filteredOn(e -> e.kind().equals("ConnectionFailed"))
                .extracting(RecordingListener.Event::payload).contains(new Connection(7, "127.0.0.1:" + closedPort));
    }
}
