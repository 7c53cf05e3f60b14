package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.errors.RecordTooLargeException;
import dev.courier.producer.serialization.StringSerializer;
import dev.courier.test.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A producer whose batches (batch.size 64 KiB, lingering so they fill) are larger than the topic takes
 * ({@code max.message.bytes} 4 KiB): the broker answers MESSAGE_TOO_LARGE, the producer splits the batches
 * until they fit, and every record arrives once, in order, with the idempotent producer's sequences
 * running on without a gap.
 */
class BatchSplitIntegrationTests {

    private static final Logger log = LoggerFactory.getLogger(BatchSplitIntegrationTests.class);
    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();
    private static final int RECORDS = 2_000;
    private static final String PADDING = "0123456789abcdef".repeat(12);

    @ParameterizedTest
    @ValueSource(strings = {"none", "lz4"})
    void batchesLargerThanTheTopicTakesAreSplitAndEveryRecordArrivesOnceInOrder(String compression)
            throws Exception {
        String topic = kafka.uniqueTopic("split-" + compression);
        kafka.createTopic(topic, 1, 1, Map.of("max.message.bytes", "4096"));
        Map<String, Object> config = TestProducers.config(kafka);
        config.put(ProducerConfig.BATCH_SIZE, 65_536);
        config.put(ProducerConfig.LINGER_MS, 200);
        config.put(ProducerConfig.COMPRESSION_TYPE, compression);
        double splits;
        try (Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                // unique per record, so that lz4 cannot shrink a batch below the limit
                futures.add(producer.send(new ProducerRecord<>(topic, value(i) + Integer.toHexString(i * 7919))));
            }
            CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).get(120, TimeUnit.SECONDS);
            for (int i = 1; i < RECORDS; i++) {
                assertThat(futures.get(i).join().offset()).isEqualTo(futures.get(i - 1).join().offset() + 1);
            }
            splits = producer.metrics().get("batch-split-total").value();
            assertThat(producer.metrics().get("record-error-total").value()).isZero();
        }

        List<ConsumerRecord<byte[], byte[]>> consumed = kafka.consumeAll(topic, Duration.ofSeconds(30));
        assertThat(consumed).hasSize(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            assertThat(new String(consumed.get(i).value(), StandardCharsets.UTF_8)).startsWith(value(i));
        }
        TopicPartition tp = new TopicPartition(topic, 0);
        List<ProducerState> producers = kafka.admin().describeProducers(List.of(tp)).partitionResult(tp)
                .get(30, TimeUnit.SECONDS).activeProducers();
        assertThat(producers).singleElement().satisfies(p -> assertThat(p.lastSequence()).isEqualTo(RECORDS - 1));
        assertThat(splits).isPositive();
        log.info("compression {}: {} records of about {} bytes delivered through {} batch splits", compression,
                RECORDS, value(0).length(), (long) splits);
    }

    @Test
    void aRecordLargerThanTheTopicTakesFailsAsTooLargeAndTheOthersArrive() throws Exception {
        String topic = kafka.uniqueTopic("split-single");
        kafka.createTopic(topic, 1, 1, Map.of("max.message.bytes", "4096"));
        Map<String, Object> config = TestProducers.config(kafka);
        config.put(ProducerConfig.LINGER_MS, 100);
        try (Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            CompletableFuture<RecordMetadata> before = producer.send(new ProducerRecord<>(topic, "before"));
            CompletableFuture<RecordMetadata> large = producer.send(new ProducerRecord<>(topic, "x".repeat(10_000)));
            CompletableFuture<RecordMetadata> after = producer.send(new ProducerRecord<>(topic, "after"));
            producer.flush();

            assertThat(TestProducers.failureOf(large)).isInstanceOf(RecordTooLargeException.class)
                    .hasMessageContaining(topic + "-0").hasMessageContaining("max.message.bytes");
            assertThat(before).isCompletedWithValueMatching(m -> m.offset() == 0);
            assertThat(after).isCompletedWithValueMatching(m -> m.offset() == 1);
        }
        assertThat(kafka.consumeAll(topic, Duration.ofSeconds(30))).extracting(r -> new String(r.value()))
                .containsExactly("before", "after");
    }

    private static String value(int i) {
        return "v" + i + "-" + PADDING;
    }
}
