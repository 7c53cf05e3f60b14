package dev.courier.producer;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.courier.producer.errors.ProducerClosedException;
import dev.courier.producer.errors.RecordTooLargeException;
import dev.courier.producer.errors.SerializationException;
import dev.courier.producer.serialization.Serializer;
import dev.courier.producer.serialization.StringSerializer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

/** {@link CourierProducer#status()} without a broker: no metadata yet, and a forced close's aborts counted. */
class ProducerStatusTests {

    /** A loopback port nothing listens on, so every connection attempt is refused. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Map<String, Object> unreachable() throws IOException {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS, "127.0.0.1:" + closedPort());
        return config;
    }

    @Test
    void aProducerThatNeverReachedABrokerReportsNoMetadataAndNoOutcomes() throws IOException {
        try (CourierProducer<String, String> producer =
                     new CourierProducer<>(unreachable(), new StringSerializer(), new StringSerializer())) {
            // The network thread may already have tried the bootstrap address: connections are tested below.
            assertThat(producer.status()).usingRecursiveComparison().ignoringFields("connections")
                    .isEqualTo(new ProducerStatus(0, 0, 0, 0, 0, -1, false, 300_000, 30_000, List.of()));
        }
    }

    @Test
    void aRefusedBootstrapAddressIsReportedAsAFailingConnection() throws IOException {
        Map<String, Object> config = unreachable();
        config.put(ProducerConfig.MAX_BLOCK_MS, 60_000);
        String address = (String) config.get(ProducerConfig.BOOTSTRAP_SERVERS);
        CourierProducer<String, String> producer =
                new CourierProducer<>(config, new StringSerializer(), new StringSerializer());
        try {
            CompletableFuture<RecordMetadata> waiting = producer.send(new ProducerRecord<>("orders", "waits"));

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(producer.status().connections()).singleElement().satisfies(connection -> {
                        assertThat(connection.nodeId()).isNegative();
                        assertThat(connection.address()).isEqualTo(address);
                        assertThat(connection.failedAttempts()).isPositive();
                        assertThat(connection.failing()).isTrue();
                        assertThat(connection.state()).isNotEqualTo(BrokerConnection.State.CONNECTED);
                    }));
            assertThat(producer.status().metadataAgeMs()).isEqualTo(-1);
            assertThat(waiting).isNotDone();
        } finally {
            producer.close(Duration.ZERO); // fails the waiting record at once rather than after max.block.ms
        }
    }

    @Test
    void theStatusCarriesTheResolvedMetadataAgeAndRequestTimeout() throws IOException {
        Map<String, Object> config = unreachable();
        config.put(ProducerConfig.METADATA_MAX_AGE_MS, "60000");
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS, 5000);
        try (CourierProducer<String, String> producer =
                     new CourierProducer<>(config, new StringSerializer(), new StringSerializer())) {
            assertThat(producer.status().metadataMaxAgeMs()).isEqualTo(60_000);
            assertThat(producer.status().requestTimeoutMs()).isEqualTo(5_000);
        }
    }

    @Test
    void aForcedCloseCountsTheRecordsItAbortedBeforeSending() throws IOException {
        CourierProducer<String, String> producer =
                new CourierProducer<>(unreachable(), new StringSerializer(), new StringSerializer());
        CompletableFuture<RecordMetadata> first = producer.send(new ProducerRecord<>("orders", "a"));
        CompletableFuture<RecordMetadata> second = producer.send(new ProducerRecord<>("orders", "b"));

        producer.close(Duration.ZERO);

        assertThat(first).isCompletedExceptionally();
        assertThat(second).isCompletedExceptionally();
        assertThat(first.handle((m, e) -> e)).isCompletedWithValueMatching(
                e -> e instanceof ProducerClosedException || e.getCause() instanceof ProducerClosedException);
        ProducerStatus status = producer.status();
        assertThat(status.abortedBeforeSend()).isEqualTo(2);
        assertThat(status.notDelivered()).isEqualTo(2);
        assertThat(status.acknowledged()).isZero();
        assertThat(status.closed()).isTrue();
    }

    /**
     * Records send refuses before accepting them end like every other record: counted in status() and
     * metrics(), their callbacks and futures completed on the callback thread, not the caller's.
     */
    @Test
    void recordsRefusedBySendAreCountedAndCompleteOnTheCallbackThread() throws Exception {
        Map<String, Object> config = unreachable();
        config.put(ProducerConfig.MAX_REQUEST_SIZE, 1024);
        Serializer<String> failing = (topic, data) -> {
            throw new IllegalArgumentException("cannot serialize " + data);
        };
        try (CourierProducer<String, String> producer = new CourierProducer<>(config, new StringSerializer(), failing)) {
            List<String> callbackThreads = new CopyOnWriteArrayList<>();
            Callback recordThread = (metadata, exception) -> callbackThreads.add(Thread.currentThread().getName());

            CompletableFuture<RecordMetadata> unserializable =
                    producer.send(new ProducerRecord<>("orders", "value"), recordThread);

            assertThatThrownBy(() -> unserializable.get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SerializationException.class).hasMessageContaining("cannot serialize value");
            assertThat(callbackThreads).singleElement(as(InstanceOfAssertFactories.STRING))
                    .startsWith("courier-producer-callbacks-");
            assertThat(producer.status().failed()).isEqualTo(1);
            assertThat(producer.metrics().get("record-error-total").value()).isEqualTo(1.0);
        }
        try (CourierProducer<String, String> producer =
                     new CourierProducer<>(config, new StringSerializer(), new StringSerializer())) {
            CompletableFuture<RecordMetadata> tooLarge = producer.send(new ProducerRecord<>("orders", "x".repeat(2000)));

            assertThatThrownBy(() -> tooLarge.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RecordTooLargeException.class);
            assertThat(producer.status().failed()).isEqualTo(1);
            assertThat(producer.status().notDelivered()).isEqualTo(1);
        }
    }
}
