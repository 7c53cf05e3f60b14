package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.errors.BufferExhaustedException;
import dev.courier.producer.errors.RecordPurgedException;
import dev.courier.producer.serialization.StringSerializer;
import dev.courier.test.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code trySend}, {@code max.buffered.records}, the capacity signal and {@code purge()} against a real broker,
 * read back with the official consumer. Batches are held back by a long {@code linger.ms}, so what is buffered
 * is known exactly; {@code flush()} sends them.
 */
class NonBlockingAdmissionIntegrationTests {

    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();
    private static final Duration AWAIT = Duration.ofSeconds(30);
    private static final int BATCH = 16_384;

    private static Map<String, Object> lingering() {
        Map<String, Object> config = TestProducers.config(kafka);
        config.put(ProducerConfig.LINGER_MS, 60_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS, 120_000);
        config.put(ProducerConfig.BATCH_SIZE, BATCH);
        return config;
    }

    private static CourierProducer<String, String> producer(Map<String, Object> config) {
        return new CourierProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static List<String> values(String topic, int count) {
        return kafka.consume(topic, count, AWAIT).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).sorted().toList();
    }

    @Test
    void trySendFailsAtOnceWhenBufferMemoryIsFullAndTheAcceptedRecordsAreDelivered() {
        String topic = kafka.uniqueTopic("try-send-memory");
        kafka.createTopic(topic, 8, 1);
        Map<String, Object> config = lingering();
        config.put(ProducerConfig.BUFFER_MEMORY, 4 * BATCH); // one open batch per partition: four partitions fill it
        AtomicReference<String> callbackThread = new AtomicReference<>();
        AtomicReference<Exception> callbackError = new AtomicReference<>();
        try (CourierProducer<String, String> producer = producer(config)) {
            producer.partitionsFor(topic); // the metadata is known: records go straight into batches
            List<CompletableFuture<RecordMetadata>> accepted = new ArrayList<>();
            for (int partition = 0; partition < 4; partition++) {
                accepted.add(producer.trySend(new ProducerRecord<>(topic, partition, null, "v" + partition)));
            }
            assertThat(producer.capacity().bytes()).isZero();
            assertThat(producer.capacity().records()).isEqualTo(-1);

            CompletableFuture<RecordMetadata> refused = producer.trySend(new ProducerRecord<>(topic, 4, null, "no room"),
                    (metadata, exception) -> {
                        callbackThread.set(Thread.currentThread().getName());
                        callbackError.set(exception);
                    });

            assertThat(refused.isCompletedExceptionally()).as("failed before trySend returned").isTrue();
            assertThat(TestProducers.failureOf(refused)).isInstanceOf(BufferExhaustedException.class)
                    .hasMessageContaining("without waiting");
            // A record joining an open batch needs no new memory: it is still taken.
            accepted.add(producer.trySend(new ProducerRecord<>(topic, 0, null, "joins batch 0")));
            assertThat(accepted).noneMatch(CompletableFuture::isDone);

            producer.flush();
            assertThat(accepted).allSatisfy(f -> assertThat(f).isCompleted().isNotCompletedExceptionally());
            assertThat(callbackError.get()).isInstanceOf(BufferExhaustedException.class);
            assertThat(callbackThread.get()).startsWith("courier-producer-callbacks-");
            assertThat(producer.status().failed()).isEqualTo(1);
            assertThat(producer.status().acknowledged()).isEqualTo(5);
            assertThat(producer.capacity().bytes()).isEqualTo(4 * BATCH);
        }
        assertThat(values(topic, 5)).containsExactly("joins batch 0", "v0", "v1", "v2", "v3");
    }

    @Test
    void maxBufferedRecordsBoundsTrySendAndWhenCapacityTellsWhenRoomIsBack() {
        String topic = kafka.uniqueTopic("max-buffered-records");
        kafka.createTopic(topic, 1, 1);
        Map<String, Object> config = lingering();
        config.put(ProducerConfig.MAX_BUFFERED_RECORDS, 3);
        try (CourierProducer<String, String> producer = producer(config)) {
            producer.partitionsFor(topic);
            List<CompletableFuture<RecordMetadata>> accepted = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                accepted.add(producer.trySend(new ProducerRecord<>(topic, "r" + i)));
            }
            assertThat(producer.capacity().records()).isZero();
            CompletableFuture<RecordMetadata> refused = producer.trySend(new ProducerRecord<>(topic, "r3"));
            assertThat(refused.isCompletedExceptionally()).isTrue();
            assertThat(TestProducers.failureOf(refused)).isInstanceOf(BufferExhaustedException.class)
                    .hasMessageContaining("max.buffered.records (3)");

            CompletableFuture<Void> room = producer.whenCapacity(100).toCompletableFuture();
            assertThat(accepted).noneMatch(CompletableFuture::isDone);
            assertThat(room).isNotDone();

            producer.flush();
            assertThat(room).succeedsWithin(AWAIT);
            assertThat(producer.capacity().records()).isEqualTo(3);
            assertThat(producer.trySend(new ProducerRecord<>(topic, "r4")).isCompletedExceptionally()).isFalse();
        }
        assertThat(values(topic, 4)).containsExactly("r0", "r1", "r2", "r4");
    }

    @Test
    void sendWaitsForARecordSlotUpToMaxBlockMsThenFailsThroughTheFuture() {
        String topic = kafka.uniqueTopic("max-buffered-send");
        kafka.createTopic(topic, 1, 1);
        Map<String, Object> config = lingering();
        config.put(ProducerConfig.MAX_BUFFERED_RECORDS, 1);
        config.put(ProducerConfig.MAX_BLOCK_MS, 100);
        try (CourierProducer<String, String> producer = producer(config)) {
            producer.partitionsFor(topic);
            CompletableFuture<RecordMetadata> first = producer.send(new ProducerRecord<>(topic, "first"));
            CompletableFuture<RecordMetadata> second = producer.send(new ProducerRecord<>(topic, "second"));

            assertThat(TestProducers.failureOf(second)).isInstanceOf(BufferExhaustedException.class)
                    .hasMessageContaining("within 100 ms");
            producer.flush();
            assertThat(first).succeedsWithin(AWAIT);
        }
        assertThat(values(topic, 1)).containsExactly("first");
    }

    @Test
    void purgeFailsEveryBufferedRecordAndLaterRecordsAreDelivered() {
        String topic = kafka.uniqueTopic("purge");
        kafka.createTopic(topic, 3, 1);
        String unknown = kafka.uniqueTopic("purge-unknown");
        Map<String, Object> config = lingering();
        config.put(ProducerConfig.ALLOW_AUTO_CREATE_TOPICS, false);
        try (CourierProducer<String, String> producer = producer(config)) {
            producer.partitionsFor(topic);
            List<CompletableFuture<RecordMetadata>> buffered = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                buffered.add(producer.send(new ProducerRecord<>(topic, i % 3, null, "purged-" + i)));
            }
            buffered.add(producer.send(new ProducerRecord<>(unknown, "waits for metadata")));

            assertThat(producer.purge()).isEqualTo(6);

            for (CompletableFuture<RecordMetadata> future : buffered) {
                assertThat(TestProducers.failureOf(future)).isInstanceOf(RecordPurgedException.class)
                        .hasMessageContaining("purged before it was sent");
            }
            assertThat(producer.status().abortedBeforeSend()).isEqualTo(6);
            assertThat(producer.status().notDelivered()).isEqualTo(6);
            assertThat(producer.capacity().bytes()).isEqualTo(33_554_432L);

            CompletableFuture<RecordMetadata> later = producer.send(new ProducerRecord<>(topic, 0, null, "later"));
            producer.flush();
            assertThat(later).succeedsWithin(AWAIT).extracting(RecordMetadata::offset).isEqualTo(0L);
        }
        assertThat(kafka.consumeAll(topic, AWAIT)).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("later");
    }

    @Test
    void aForcedCloseFreesTheRoomAWaitForCapacityWasWaitingForAndThenRefusesNewWaits() {
        String topic = kafka.uniqueTopic("capacity-close");
        kafka.createTopic(topic, 1, 1);
        Map<String, Object> config = lingering();
        config.put(ProducerConfig.MAX_BUFFERED_RECORDS, 1);
        CompletableFuture<Void> room;
        try (CourierProducer<String, String> producer = producer(config)) {
            producer.partitionsFor(topic);
            CompletableFuture<RecordMetadata> held = producer.send(new ProducerRecord<>(topic, "holds the only slot"));
            room = producer.whenCapacity(1).toCompletableFuture();
            assertThat(room).isNotDone();

            producer.close(Duration.ZERO);

            // The aborted record gave its slot back before the callback thread stopped: the wait completed.
            assertThat(held).isCompletedExceptionally();
            assertThat(room).isCompleted().isNotCompletedExceptionally();
            assertThatThrownBy(() -> producer.whenCapacity(1)).isInstanceOf(IllegalStateException.class);
        }
    }
}
