package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.errors.ProducerClosedException;
import dev.courier.producer.serialization.StringSerializer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
            assertThat(producer.status()).isEqualTo(new ProducerStatus(0, 0, 0, 0, 0, -1, false, 300_000, 30_000));
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
}
