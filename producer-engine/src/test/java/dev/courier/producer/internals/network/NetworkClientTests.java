package dev.courier.producer.internals.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.courier.producer.BrokerConnection;
import dev.courier.producer.ProducerEventListener.Connection;
import dev.courier.producer.errors.UnsupportedVersionException;
import dev.courier.producer.internals.events.EngineEvents;
import dev.courier.producer.internals.events.RecordingListener;
import dev.courier.producer.internals.metadata.Metadata;
import dev.courier.producer.internals.metadata.Node;
import dev.courier.producer.internals.protocol.ApiKey;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.protocol.MetadataRequest;
import dev.courier.producer.internals.protocol.MetadataResponse;
import dev.courier.producer.internals.util.ManualTime;
import dev.courier.producer.internals.util.Time;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NetworkClientTests {

    private static final int REQUEST_TIMEOUT = 5_000;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<ClientResponse> responses = new ArrayList<>();
    private Time time = Time.SYSTEM;
    private Metadata metadata;
    private NetworkClient client;

    @AfterEach
    void closeResources() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private FakeBroker broker() throws IOException {
        FakeBroker broker = new FakeBroker(1);
        resources.add(broker);
        return broker;
    }

    private NetworkClient client(NetworkClientConfig config, InetSocketAddress... bootstrap) {
        metadata = new Metadata(50, 200, 300_000, 300_000);
        metadata.bootstrap(List.of(bootstrap));
        client = new NetworkClient(new Selector(100 * 1024 * 1024, -1, -1), metadata, config, time);
        resources.add(client);
        return client;
    }

    private static NetworkClientConfig config() {
        return NetworkClientConfig.defaults("test-client").withRequestTimeoutMs(REQUEST_TIMEOUT)
                .withReconnectBackoff(20, 100);
    }

    private void pollUntil(BooleanSupplier condition) {
        await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1)).until(() -> {
                    responses.addAll(client.poll(10, time.monotonicMs()));
                    return condition.getAsBoolean();
                });
    }

    /** Bootstraps, fetches metadata naming broker 1, and connects to it. */
    private Node readyBrokerNode() {
        pollUntil(() -> metadata.fetch().nodeById(1) != null);
        Node node = metadata.fetch().nodeById(1);
        pollUntil(() -> client.ready(node, time.monotonicMs()));
        return node;
    }

    private ClientRequest metadataRequest(Node node, boolean expectResponse, List<ClientResponse> completed) {
        return new ClientRequest(node.idString(), new MetadataRequest(List.of("orders"), false), time.monotonicMs(),
                expectResponse, REQUEST_TIMEOUT, completed::add);
    }

    @Test
    void negotiatesApiVersionsWithV3BeforeAnyOtherRequest() throws Exception {
        FakeBroker broker = broker();
        client(config(), broker.address());

        Node node = readyBrokerNode();

        FakeBroker.Request first = broker.requests.get(0);
        assertThat(first.apiKey()).isEqualTo(ApiKey.API_VERSIONS.id);
        assertThat(first.apiVersion()).isEqualTo((short) 3);
        assertThat(first.clientId()).isEqualTo("test-client");
        assertThat(client.apiVersion(node.idString(), ApiKey.METADATA)).isEqualTo((short) 12);
        assertThat(client.apiVersion(node.idString(), ApiKey.PRODUCE)).isEqualTo((short) 11);
        assertThat(client.nodeApiVersions(node.idString()).isSupported(ApiKey.INIT_PRODUCER_ID)).isTrue();
    }

    @Test
    void retriesApiVersionsWithTheBrokersMaximumWhenItRefusesV3() throws Exception {
        FakeBroker broker = broker();
        broker.maxApiVersionsVersion = 2;
        client(config(), broker.address());

        readyBrokerNode();

        List<FakeBroker.Request> apiVersions = broker.requests(ApiKey.API_VERSIONS.id);
        assertThat(apiVersions).extracting(FakeBroker.Request::apiVersion).startsWith((short) 3, (short) 2);
    }

    @Test
    void fetchesMetadataForTheTopicsOfInterestOnly() throws Exception {
        FakeBroker broker = broker();
        broker.topics.put("orders", 3);
        broker.topics.put("other", 5);
        client(config().withAllowAutoTopicCreation(false), broker.address());

        metadata.add("orders", time.monotonicMs());
        pollUntil(() -> metadata.fetch().partitionCountForTopic("orders") != null);

        assertThat(metadata.fetch().partitionCountForTopic("orders")).isEqualTo(3);
        assertThat(metadata.fetch().topics()).containsExactly("orders");
        assertThat(metadata.fetch().clusterId()).isEqualTo("fake-cluster");
        FakeBroker.Request last = broker.requests(ApiKey.METADATA.id).get(broker.requests(ApiKey.METADATA.id).size() - 1);
        assertThat(FakeBroker.Wire.metadataRequestTopics(last.body(), last.apiVersion())).containsExactly("orders");
        assertThat(FakeBroker.Wire.metadataRequestAllowsAutoCreation(last.body(), last.apiVersion())).isFalse();
    }

    @Test
    void recordsTheErrorForAnUnknownTopic() throws Exception {
        FakeBroker broker = broker();
        client(config(), broker.address());

        metadata.add("missing", time.monotonicMs());
        pollUntil(() -> metadata.topicError("missing") != null);

        assertThat(metadata.topicError("missing")).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(metadata.fetch().partitionCountForTopic("missing")).isNull();
    }

    @Test
    void completesARequestWithItsParsedResponseAndRunsTheHandler() throws Exception {
        FakeBroker broker = broker();
        broker.topics.put("orders", 2);
        client(config(), broker.address());
        Node node = readyBrokerNode();

        List<ClientResponse> handled = new ArrayList<>();
        ClientRequest request = metadataRequest(node, true, handled);
        client.send(request, time.monotonicMs());
        pollUntil(() -> !handled.isEmpty());

        ClientResponse response = handled.get(0);
        assertThat(responses).contains(response);
        assertThat(response.wasDisconnected()).isFalse();
        assertThat(response.apiVersion()).isEqualTo((short) 12);
        assertThat(response.body()).isInstanceOf(MetadataResponse.class);
        assertThat(((MetadataResponse) response.body()).topics()).hasSize(1);
        assertThat(request.correlationId()).isNotNegative();
        assertThat(response.latencyMs()).isNotNegative();
    }

    @Test
    void sendsNoMoreThanTheInFlightLimitToOneNode() throws Exception {
        FakeBroker broker = broker();
        client(config().withMaxInFlightRequestsPerConnection(2), broker.address());
        Node node = readyBrokerNode();
        broker.stall = true;

        List<ClientResponse> handled = new ArrayList<>();
        client.send(metadataRequest(node, true, handled), time.monotonicMs());
        pollUntil(() -> client.isReady(node, time.monotonicMs()));
        client.send(metadataRequest(node, true, handled), time.monotonicMs());
        pollUntil(() -> broker.requests(ApiKey.METADATA.id).size() >= 3);

        assertThat(client.inFlightRequestCount(node.idString())).isEqualTo(2);
        assertThat(client.isReady(node, time.monotonicMs())).isFalse();
        assertThatThrownBy(() -> client.send(metadataRequest(node, true, handled), time.monotonicMs()))
                .isInstanceOf(IllegalStateException.class);
        assertThat(handled).isEmpty();
    }

    @Test
    void timesOutAStalledRequestAndClosesTheConnection() throws Exception {
        ManualTime manual = new ManualTime();
        time = manual;
        FakeBroker broker = broker();
        client(config(), broker.address());
        Node node = readyBrokerNode();
        broker.stall = true;

        List<ClientResponse> handled = new ArrayList<>();
        client.send(metadataRequest(node, true, handled), time.monotonicMs());
        pollUntil(() -> broker.requests(ApiKey.METADATA.id).size() >= 2);
        assertThat(handled).isEmpty();

        manual.sleep(REQUEST_TIMEOUT + 1);
        pollUntil(() -> !handled.isEmpty());

        assertThat(handled.get(0).wasTimedOut()).isTrue();
        assertThat(handled.get(0).wasDisconnected()).isTrue();
        assertThat(client.connectionFailed(node)).isTrue();
        assertThat(client.inFlightRequestCount()).isZero();
    }

    @Test
    void closesAConnectionIdleForLongerThanConnectionsMaxIdleMsEvenAfterPollsThatSkippedTheScan() throws Exception {
        ManualTime manual = new ManualTime();
        time = manual;
        FakeBroker broker = broker();
        client(config().withConnectionsMaxIdleMs(1_000), broker.address());
        Node node = readyBrokerNode();
        List<ClientResponse> handled = new ArrayList<>();
        client.send(metadataRequest(node, true, handled), time.monotonicMs());
        pollUntil(() -> !handled.isEmpty());

        manual.sleep(600);
        client.poll(0, time.monotonicMs());
        manual.sleep(400);
        client.poll(0, time.monotonicMs());
        assertThat(client.isReady(node, time.monotonicMs())).as("idle for exactly connections.max.idle.ms").isTrue();

        manual.sleep(1);
        client.poll(0, time.monotonicMs());
        assertThat(client.isReady(node, time.monotonicMs())).as("idle for longer").isFalse();
        assertThat(client.connectionFailed(node)).as("closed, not failed").isFalse();
    }

    @Test
    void publishesTheBrokersConnectionStatesForOtherThreads() throws Exception {
        FakeBroker broker = broker();
        client(config(), broker.address());
        assertThat(client.connections()).as("nothing attempted yet").isEmpty();

        Node node = readyBrokerNode();
        pollUntil(() -> stateOf(1) != null && stateOf(1).state() == BrokerConnection.State.CONNECTED);

        assertThat(client.connections()).as("the bootstrap address is not reported once brokers are known")
                .singleElement().satisfies(connection -> {
                    assertThat(connection.address()).isEqualTo(node.host() + ":" + node.port());
                    assertThat(connection.failedAttempts()).isZero();
                });
        broker.close();
        pollUntil(() -> stateOf(1).state() != BrokerConnection.State.CONNECTED && stateOf(1).failedAttempts() > 0);
        assertThat(stateOf(1).toBrokerConnection(time.monotonicMs()).failing()).isTrue();
    }

    private NodeConnection stateOf(int nodeId) {
        return client.connections().stream().filter(c -> c.nodeId() == nodeId).findFirst().orElse(null);
    }

    @Test
    void completesInFlightRequestsAsDisconnectedWhenTheBrokerDropsTheConnection() throws Exception {
        FakeBroker broker = broker();
        client(config(), broker.address());
        Node node = readyBrokerNode();
        broker.dropOnNextRequest = true;

        List<ClientResponse> handled = new ArrayList<>();
        client.send(metadataRequest(node, true, handled), time.monotonicMs());
        pollUntil(() -> !handled.isEmpty());

        assertThat(handled.get(0).wasDisconnected()).isTrue();
        assertThat(handled.get(0).wasTimedOut()).isFalse();
        assertThat(handled.get(0).body()).isNull();
        assertThat(client.apiVersion(node.idString(), ApiKey.METADATA)).as("versions forgotten").isEqualTo((short) -1);
    }

    @Test
    void completesARequestWithoutResponseOnceItIsWritten() throws Exception {
        FakeBroker broker = broker();
        client(config(), broker.address());
        Node node = readyBrokerNode();
        broker.silentApiKeys = Set.of(ApiKey.METADATA.id);

        List<ClientResponse> handled = new ArrayList<>();
        client.send(metadataRequest(node, false, handled), time.monotonicMs());
        pollUntil(() -> !handled.isEmpty());

        assertThat(handled.get(0).wasDisconnected()).isFalse();
        assertThat(handled.get(0).hasResponse()).isFalse();
        assertThat(client.inFlightRequestCount(node.idString())).isZero();
    }

    /** acks=0: the poll after the send reports the completion instead of waiting for I/O that never comes. */
    @Test
    void thePollAfterARequestWithoutResponseDoesNotWait() throws Exception {
        FakeBroker broker = broker();
        client(NetworkClientConfig.defaults("test-client").withRequestTimeoutMs(600_000).withReconnectBackoff(20, 100),
                broker.address());
        Node node = readyBrokerNode();
        broker.silentApiKeys = Set.of(ApiKey.METADATA.id);
        pollUntil(() -> client.inFlightRequestCount() == 0);

        List<ClientResponse> handled = new ArrayList<>();
        client.send(new ClientRequest(node.idString(), new MetadataRequest(List.of("orders"), false),
                time.monotonicMs(), false, 600_000, handled::add), time.monotonicMs());
        // without the fix this poll waits for socket events until a timeout, ten minutes here
        CompletableFuture<List<ClientResponse>> polled = CompletableFuture.supplyAsync(
                () -> client.poll(600_000, time.monotonicMs()));

        await().atMost(Duration.ofSeconds(30)).until(polled::isDone);
        assertThat(handled).hasSize(1);
        assertThat(handled.get(0).hasResponse()).isFalse();
    }

    @Test
    void reportsAVersionMismatchWhenTheBrokerSpeaksNoUsableVersion() throws Exception {
        FakeBroker broker = broker();
        client(config(), broker.address());
        Node node = readyBrokerNode();

        broker.apiRanges = Map.of((short) 3, new short[] {0, 8}, (short) 18, new short[] {0, 3});
        client.disconnect(node.idString());
        pollUntil(() -> client.ready(node, time.monotonicMs()));
        assertThatThrownBy(() -> client.apiVersion(node.idString(), ApiKey.METADATA))
                .isInstanceOf(UnsupportedVersionException.class);

        List<ClientResponse> handled = new ArrayList<>();
        client.send(metadataRequest(node, true, handled), time.monotonicMs());
        pollUntil(() -> !handled.isEmpty());

        assertThat(handled.get(0).versionMismatch()).isInstanceOf(UnsupportedVersionException.class);
        assertThat(handled.get(0).wasDisconnected()).isFalse();
    }

    @Test
    void disconnectsFromABrokerAnnouncingAnOversizedResponse() throws Exception {
        FakeBroker broker = broker();
        client(config(), broker.address());
        Node node = readyBrokerNode();
        broker.oversizedReply = true;

        List<ClientResponse> handled = new ArrayList<>();
        client.send(metadataRequest(node, true, handled), time.monotonicMs());
        pollUntil(() -> !handled.isEmpty());

        assertThat(handled.get(0).wasDisconnected()).isTrue();
        assertThat(client.connectionFailed(node)).isTrue();
    }

    @Test
    void backsOffBeforeReconnectingToANodeThatRefusedTheConnection() throws Exception {
        ManualTime manual = new ManualTime();
        time = manual;
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        InetSocketAddress closed = new InetSocketAddress("127.0.0.1", closedPort);
        client(config().withReconnectBackoff(1_000, 10_000), closed);
        Node node = new Node(7, "127.0.0.1", closedPort, null);

        assertThat(client.ready(node, time.monotonicMs())).isFalse();
        pollUntil(() -> client.connectionFailed(node));

        long delay = client.connectionDelay(node, time.monotonicMs());
        assertThat(delay).isPositive();
        assertThat(client.ready(node, time.monotonicMs())).isFalse();
        assertThat(client.connectionFailed(node)).as("no new attempt during the backoff").isTrue();

        manual.sleep(delay);
        assertThat(client.connectionDelay(node, time.monotonicMs())).isZero();
        assertThat(client.ready(node, time.monotonicMs())).isFalse();
        assertThat(client.connectionFailed(node)).as("a new attempt is under way").isFalse();
        assertThat(client.connectionDelay(node, time.monotonicMs())).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void fallsBackToTheBootstrapServersWhenNoKnownBrokerIsReachable() throws Exception {
        FakeBroker broker = broker();
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            broker.advertisedPort = probe.getLocalPort();
        }
        client(config(), broker.address());
        pollUntil(() -> metadata.fetch().nodeById(1) != null);
        assertThat(metadata.fetch().isBootstrapConfigured()).isFalse();

        metadata.requestUpdate();
        pollUntil(() -> metadata.fetch().isBootstrapConfigured());

        assertThat(metadata.fetch().nodes()).extracting(Node::id).containsExactly(-1);
    }

    @Test
    void picksAReadyIdleNodeAsLeastLoaded() throws Exception {
        FakeBroker broker = broker();
        client(config(), broker.address());
        Node node = readyBrokerNode();

        assertThat(client.leastLoadedNode(time.monotonicMs())).isEqualTo(node);
        assertThat(client.hasReadyNodes(time.monotonicMs())).isTrue();
    }

    @Test
    void aReadyConnectionIsReportedToEventListenersAsConnectedAndThenDisconnected() throws Exception {
        FakeBroker broker = broker();
        client(config(), broker.address());
        RecordingListener listener = new RecordingListener();
        client.events(EngineEvents.of(List.of(listener)));
        Node node = readyBrokerNode();

        Connection connection = new Connection(1, node.host() + ":" + node.port());
        assertThat(listener.of(Connection.class)).contains(connection);
        assertThat(listener.kinds()).doesNotContain("Disconnected", "ConnectionFailed");
        client.disconnect(node.idString());
        pollUntil(() -> listener.kinds().contains("Disconnected"));
        assertThat(listener.events).filteredOn(e -> e.kind().equals("Disconnected"))
                .extracting(RecordingListener.Event::payload).containsExactly(connection);
    }

    @Test
    void aRefusedConnectionIsReportedToEventListenersAsFailedNotDisconnected() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        client(config(), new InetSocketAddress("127.0.0.1", closedPort));
        RecordingListener listener = new RecordingListener();
        client.events(EngineEvents.of(List.of(listener)));
        Node node = new Node(7, "127.0.0.1", closedPort, null);

        client.ready(node, time.monotonicMs());
        pollUntil(() -> client.connectionFailed(node));

        assertThat(listener.kinds()).contains("ConnectionFailed").doesNotContain("Connected", "Disconnected");
        assertThat(listener.events).filteredOn(e -> e.kind().equals("ConnectionFailed"))
                .extracting(RecordingListener.Event::payload).contains(new Connection(7, "127.0.0.1:" + closedPort));
    }
}
