package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.ProducerEventListener.BatchCompleted;
import dev.courier.producer.ProducerEventListener.Connection;
import dev.courier.producer.ProducerEventListener.Outcome;
import dev.courier.producer.internals.events.RecordingListener;
import dev.courier.producer.serialization.StringSerializer;
import dev.courier.test.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Delivery timings in callbacks, and engine events, against a real broker. */
class DeliveryTimingsIntegrationTests {

    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();
    private static final int RECORDS = 50;
    private static final long LINGER_MS = 5;

    @Test
    void everyAcknowledgedRecordsCallbackSeesWhereItsTimeWentAndTheListenerSeesItsBatches() {
        String topic = kafka.uniqueTopic("timings");
        kafka.createTopic(topic, 2, 1);
        RecordingListener listener = new RecordingListener();
        Map<String, Object> config = TestProducers.config(kafka);
        config.put(ProducerConfig.LINGER_MS, LINGER_MS);
        config.put(ProducerConfig.DELIVERY_TIMINGS_ENABLE, true);
        config.put(ProducerConfig.EVENT_LISTENERS, listener);
        List<DeliveryTimings> seenByCallbacks = new CopyOnWriteArrayList<>();
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try (Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i),
                        (metadata, exception) -> seenByCallbacks.add(metadata.timings())));
            }
            producer.flush();
        }

        assertThat(seenByCallbacks).hasSize(RECORDS).allSatisfy(timings -> {
            assertThat(timings).isNotNull();
            assertThat(timings.attempts()).isGreaterThanOrEqualTo(1);
            assertThat(timings.metadataWaitMs()).isNotNegative();
            assertThat(timings.lingerMs()).as("a batch is ready once linger.ms has passed").isBetween(0L, LINGER_MS);
            assertThat(timings.queueMs()).isNotNegative();
            assertThat(timings.retryMs()).isNotNegative();
            assertThat(timings.wireMs()).isNotNegative();
        });
        assertThat(futures).allSatisfy(f -> assertThat(f.join().timings()).isNotNull());

        List<BatchCompleted> batches = listener.of(BatchCompleted.class);
        assertThat(batches).allSatisfy(batch -> {
            assertThat(batch.outcome()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(batch.topicPartition().topic()).isEqualTo(topic);
            assertThat(batch.timings()).isNotNull();
            assertThat(batch.bytes()).isPositive();
        });
        assertThat(batches.stream().mapToInt(BatchCompleted::recordCount).sum()).isEqualTo(RECORDS);
        assertThat(listener.of(Connection.class)).as("connected to the broker").isNotEmpty();
        assertThat(kafka.consume(topic, RECORDS, Duration.ofSeconds(30))).hasSize(RECORDS);
    }
}
