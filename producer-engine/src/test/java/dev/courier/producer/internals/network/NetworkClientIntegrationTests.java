package dev.courier.producer.internals.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.producer.PartitionInfo;
import dev.courier.producer.internals.metadata.Cluster;
import dev.courier.producer.internals.metadata.Metadata;
import dev.courier.producer.internals.metadata.Node;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.protocol.ApiKey;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.util.Time;
import dev.courier.test.EmbeddedKafka;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NetworkClientIntegrationTests {

    private final EmbeddedKafka kafka = EmbeddedKafka.shared();
    private final Time time = Time.SYSTEM;
    private Metadata metadata;
    private NetworkClient client;

    @BeforeEach
    void createClient() {
        metadata = new Metadata(100, 1_000, 300_000, 300_000);
        metadata.bootstrap(bootstrapAddresses(kafka.bootstrapServers()));
        NetworkClientConfig config = NetworkClientConfig.defaults("courier-it").withAllowAutoTopicCreation(false);
        client = new NetworkClient(new Selector(100 * 1024 * 1024, -1, -1), metadata, config, time);
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    private static List<InetSocketAddress> bootstrapAddresses(String servers) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String server : servers.split(",")) {
            int colon = server.lastIndexOf(':');
            addresses.add(InetSocketAddress.createUnresolved(server.substring(0, colon),
                    Integer.parseInt(server.substring(colon + 1))));
        }
        return addresses;
    }

    private void pollUntil(BooleanSupplier condition) {
        await().atMost(Duration.ofSeconds(60)).pollInSameThread().pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1)).until(() -> {
                    client.poll(20, time.monotonicMs());
                    return condition.getAsBoolean();
                });
    }

    @Test
    void negotiatesTheNewestVersionsBothSidesSpeak() {
        pollUntil(() -> !metadata.fetch().isBootstrapConfigured());
        Node node = metadata.fetch().nodes().get(0);
        pollUntil(() -> client.ready(node, time.monotonicMs()));

        assertThat(client.apiVersion(node.idString(), ApiKey.METADATA)).isEqualTo((short) 13);
        assertThat(client.apiVersion(node.idString(), ApiKey.PRODUCE)).isEqualTo((short) 13);
        assertThat(client.apiVersion(node.idString(), ApiKey.INIT_PRODUCER_ID)).isEqualTo((short) 5);
    }

    @Test
    void fetchesMetadataForACreatedTopic() {
        String topic = kafka.uniqueTopic("network-metadata");
        kafka.createTopic(topic, 3, 1);

        metadata.add(topic, time.monotonicMs());
        pollUntil(() -> metadata.fetch().availablePartitionsForTopic(topic).size() == 3);

        Cluster cluster = metadata.fetch();
        assertThat(cluster.partitionsForTopic(topic)).extracting(PartitionInfo::partition).containsExactly(0, 1, 2);
        assertThat(cluster.topicId(topic)).isNotNull();
        assertThat(cluster.clusterId()).isNotBlank();
        Node leader = cluster.leaderFor(new TopicPartition(topic, 0));
        assertThat(kafka.brokerIds()).contains(leader.id());
        assertThat(cluster.leaderEpochFor(new TopicPartition(topic, 0))).isNotNegative();
        assertThat(metadata.topicError(topic)).isNull();
    }

    @Test
    void reportsUnknownTopicOrPartitionForAMissingTopic() {
        String topic = kafka.uniqueTopic("network-missing");

        metadata.add(topic, time.monotonicMs());
        pollUntil(() -> metadata.topicError(topic) != null);

        assertThat(metadata.topicError(topic)).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(metadata.fetch().partitionCountForTopic(topic)).isNull();
    }

    @Test
    void backsOffFromANodeThatRefusesConnectionsWhileTheBrokerStaysUsable() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        Node refusing = new Node(999, "127.0.0.1", closedPort, null);
        pollUntil(() -> !metadata.fetch().isBootstrapConfigured());

        client.ready(refusing, time.monotonicMs());
        pollUntil(() -> client.connectionFailed(refusing));

        assertThat(client.connectionDelay(refusing, time.monotonicMs())).isPositive();
        Node broker = metadata.fetch().nodes().get(0);
        pollUntil(() -> client.ready(broker, time.monotonicMs()));
        assertThat(client.leastLoadedNode(time.monotonicMs())).isEqualTo(broker);
    }
}
