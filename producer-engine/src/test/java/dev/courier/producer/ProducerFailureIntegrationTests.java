package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.errors.RecordTooLargeException;
import dev.courier.producer.errors.TimeoutException;
import dev.courier.producer.serialization.StringSerializer;
import dev.courier.test.EmbeddedKafka;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Every future completes, with an error where there must be one, and nothing blocks the caller. Brokers that are
 * down, slow, unreachable or restarting are covered by {@link FaultInjectionIntegrationTests} and
 * {@link FailoverIntegrationTests}.
 */
class ProducerFailureIntegrationTests {

    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();

    @Test
    void aRecordLargerThanMaxRequestSizeFailsAloneAndTheOthersGoThrough() {
        String topic = kafka.uniqueTopic("too-large");
        kafka.createTopic(topic, 1, 1);
        Map<String, Object> config = TestProducers.config(kafka);
        config.put(ProducerConfig.MAX_REQUEST_SIZE, 10_000);
        AtomicReference<Exception> callbackError = new AtomicReference<>();
        try (Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(), new StringSerializer())) {
            CompletableFuture<RecordMetadata> before = producer.send(new ProducerRecord<>(topic, "small-1"));
            CompletableFuture<RecordMetadata> large = producer.send(new ProducerRecord<>(topic, "x".repeat(20_000)),
                    (metadata, exception) -> callbackError.set(exception));
            CompletableFuture<RecordMetadata> after = producer.send(new ProducerRecord<>(topic, "small-2"));

            assertThatThrownBy(large::join).hasCauseInstanceOf(RecordTooLargeException.class)
                    .hasMessageContaining("max.request.size");
            assertThat(callbackError.get()).isInstanceOf(RecordTooLargeException.class);
            assertThat(before.join().offset()).isEqualTo(0);
            assertThat(after.join().offset()).isEqualTo(1);
        }
        assertThat(kafka.consume(topic, 2, Duration.ofSeconds(30))).hasSize(2);
    }

    @Test
    void anUnknownTopicFailsAfterMaxBlockWithoutBlockingTheCaller() {
        String topic = kafka.uniqueTopic("never-created");
        Map<String, Object> config = TestProducers.config(kafka);
        config.put(ProducerConfig.MAX_BLOCK_MS, 1_500);
        config.put(ProducerConfig.ALLOW_AUTO_CREATE_TOPICS, false);
        try (Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(), new StringSerializer())) {
            CountDownLatch callbackRan = new CountDownLatch(1);
            CompletableFuture<RecordMetadata> future = producer.send(new ProducerRecord<>(topic, "lost?"),
                    (metadata, exception) -> callbackRan.countDown());
            // send returned, and the record is still waiting for metadata: the caller did not block on it
            assertThat(future).isNotDone();
            assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TimeoutException.class)
                    .hasMessageContaining(topic)
                    .hasMessageContaining("max.block.ms");
            assertThat(callbackRan.getCount()).isZero();
        }
    }

    @Test
    void aRecordForATopicCreatedAfterTheSendIsDeliveredOnceItsMetadataArrives() {
        String topic = kafka.uniqueTopic("created-later");
        Map<String, Object> config = TestProducers.config(kafka);
        config.put(ProducerConfig.ALLOW_AUTO_CREATE_TOPICS, false);
        try (Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(), new StringSerializer())) {
            List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, 0, null, "early-" + i)));
            }
            assertThat(futures).allSatisfy(f -> assertThat(f).isNotDone());
            kafka.createTopic(topic, 1, 1);
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).join().offset()).as("record %d keeps its place", i).isEqualTo(i);
            }
        }
        assertThat(kafka.consume(topic, 50, Duration.ofSeconds(30))).hasSize(50);
    }

    @Test
    void withNoBrokerRunningEveryFutureFailsAndCloseReturns() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS, "127.0.0.1:" + deadPort,
                ProducerConfig.MAX_BLOCK_MS, 1_000,
                ProducerConfig.REQUEST_TIMEOUT_MS, 1_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS, 2_000,
                ProducerConfig.LINGER_MS, 0);
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(), new StringSerializer());
        for (int i = 0; i < 100; i++) {
            futures.add(producer.send(new ProducerRecord<>("nowhere", "record-" + i)));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
        assertThatThrownBy(() -> all.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class);
        assertThat(futures).allSatisfy(f -> assertThat(f).isCompletedExceptionally());
        producer.close(Duration.ofSeconds(10));
        assertThatThrownBy(() -> producer.send(new ProducerRecord<>("nowhere", "after close")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void anExplicitPartitionBeyondTheTopicFailsAfterMaxBlock() {
        String topic = kafka.uniqueTopic("few-partitions");
        kafka.createTopic(topic, 2, 1);
        Map<String, Object> config = TestProducers.config(kafka);
        config.put(ProducerConfig.MAX_BLOCK_MS, 1_000);
        try (Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(), new StringSerializer())) {
            CompletableFuture<RecordMetadata> future = producer.send(new ProducerRecord<>(topic, 5, null, "v"));
            assertThatThrownBy(future::join).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(TimeoutException.class)
                    .hasMessageContaining("Partition 5 of topic " + topic);
        }
    }
}
