package dev.courier.producer.spring.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.BrokerConnection;
import dev.courier.producer.BrokerConnection.State;
import dev.courier.producer.ProducerStatus;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** The indicator's decisions for a running producer, from status snapshots. */
class ProducerHealthIndicatorTests {

    private static final long MAX_AGE = 300_000;
    private static final long REQUEST_TIMEOUT = 30_000;

    private static ProducerStatus status(int knownBrokers, long metadataAgeMs, BrokerConnection... connections) {
        return new ProducerStatus(5, 1, 0, 0, knownBrokers, metadataAgeMs, false, MAX_AGE, REQUEST_TIMEOUT,
                List.of(connections));
    }

    private static BrokerConnection connected(int node, String address) {
        return new BrokerConnection(node, address, State.CONNECTED, 10_000, 0);
    }

    private static BrokerConnection lost(int node, String address) {
        return new BrokerConnection(node, address, State.DISCONNECTED, 1_500, 3);
    }

    private static Health health(ProducerStatus status) {
        Health.Builder builder = new Health.Builder();
        ProducerHealthIndicator.report(status, builder);
        return builder.build();
    }

    @Test
    void aProducerThatHasNotConnectedYetIsUnknown() {
        assertThat(health(status(0, -1)).getStatus()).isEqualTo(Status.UNKNOWN);
        Health connecting = health(status(0, -1, new BrokerConnection(-1, "kafka:9092", State.CONNECTING, 20, 0)));
        assertThat(connecting.getStatus()).isEqualTo(Status.UNKNOWN);
        assertThat(connecting.getDetails()).doesNotContainKey("unreachable");
    }

    @Test
    void whenEveryBootstrapAddressFailedItIsDownAndNamesThem() {
        Health health = health(status(0, -1, lost(-1, "kafka-1:9092"), lost(-2, "kafka-2:9092")));
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("unreachable", List.of("kafka-1:9092", "kafka-2:9092"));
    }

    @Test
    void aConnectedProducerWithFreshMetadataIsUp() {
        Health health = health(status(1, 2_000, connected(0, "kafka:9092")));
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("brokers", 1).containsEntry("metadataAgeMs", 2_000L)
                .containsEntry("acknowledged", 5L).containsEntry("failed", 1L).doesNotContainKey("unreachable");
        assertThat(health.getDetails().get("connections").toString()).contains("kafka:9092=connected for 10000 ms");
    }

    @Test
    void losingTheOnlyBrokerIsDownAtOnceThoughTheMetadataIsStillFresh() {
        Health health = health(status(1, 2_000, lost(0, "kafka:9092")));
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("unreachable", List.of("kafka:9092"))
                .containsEntry("reason", "no broker reachable: every connection failed");
        assertThat(health.getDetails().get("connections").toString())
                .contains("kafka:9092=disconnected for 1500 ms (3 failed attempts)");
    }

    @Test
    void reconnectingAfterAFailureStillCountsAsFailing() {
        Health health = health(status(1, 2_000, new BrokerConnection(0, "kafka:9092", State.CONNECTING, 5, 4)));
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void oneBrokerLostWhileAnotherIsConnectedIsUpAndNamesTheLostOne() {
        Health health = health(status(2, 2_000, connected(0, "kafka-0:9092"), lost(1, "kafka-1:9092")));
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("unreachable", List.of("kafka-1:9092"));
    }

    @Test
    void brokersNotTriedYetMayStillAnswerSoOneLostOfThreeIsNotDown() {
        assertThat(health(status(3, 2_000, lost(0, "kafka-0:9092"))).getStatus()).isEqualTo(Status.UP);
        assertThat(health(status(3, 2_000, lost(0, "a:1"), lost(1, "b:1"), lost(2, "c:1"))).getStatus())
                .isEqualTo(Status.DOWN);
    }

    @Test
    void aFailureOlderThanTheLatestMetadataAnswerIsNotCounted() {
        // Lost 64s ago, metadata answered 60s ago (through another connection): the broker was reachable since.
        Health health = health(status(1, 60_000, new BrokerConnection(0, "kafka:9092", State.DISCONNECTED, 64_000, 1)));
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).doesNotContainKey("unreachable");
    }

    @Test
    void anIdleProducerWhoseConnectionsWereClosedIsUpWhileItsMetadataIsFresh() {
        assertThat(health(status(1, 60_000)).getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void staleMetadataIsDownEvenWithoutAConnectionState() {
        Health health = health(status(1, MAX_AGE + REQUEST_TIMEOUT + 1));
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat((String) health.getDetails().get("reason")).startsWith("metadata older than 330000 ms");
    }
}
