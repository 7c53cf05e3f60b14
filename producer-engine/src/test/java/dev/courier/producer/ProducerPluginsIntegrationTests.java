package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.serialization.StringSerializer;
import dev.courier.test.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** User plug-ins named in the configuration: a partitioner and an interceptor. */
class ProducerPluginsIntegrationTests {

    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();

    /** Sends every record to the last partition. */
    public static final class LastPartitionPartitioner implements Partitioner {
        @Override
        public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes,
                             List<PartitionInfo> partitions) {
            return partitions.size() - 1;
        }
    }

    /** Refuses records whose key is "boom". */
    public static final class RefusingPartitioner implements Partitioner {
        @Override
        public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes,
                             List<PartitionInfo> partitions) {
            if ("boom".equals(key)) {
                throw new IllegalStateException("no partition for boom");
            }
            return 0;
        }
    }

    /** Tags every value and counts acknowledgements. */
    public static final class TaggingInterceptor implements ProducerInterceptor<String, String> {
        static final AtomicInteger acknowledged = new AtomicInteger();

        @Override
        public ProducerRecord<String, String> onSend(ProducerRecord<String, String> record) {
            return new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(), record.key(),
                    "tagged:" + record.value(), record.headers());
        }

        @Override
        public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
            if (exception == null) {
                acknowledged.incrementAndGet();
            }
        }
    }

    @Test
    void aConfiguredPartitionerAndInterceptorShapeWhatReachesTheBroker() {
        String topic = kafka.uniqueTopic("plugins");
        kafka.createTopic(topic, 3, 1);
        Map<String, Object> config = TestProducers.config(kafka);
        config.put(ProducerConfig.PARTITIONER_CLASS, LastPartitionPartitioner.class.getName());
        config.put(ProducerConfig.INTERCEPTOR_CLASSES, TaggingInterceptor.class.getName());
        config.put(ProducerConfig.KEY_SERIALIZER, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER, StringSerializer.class.getName());
        int before = TaggingInterceptor.acknowledged.get();
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try (Producer<String, String> producer = new CourierProducer<>(config)) {
            for (int i = 0; i < 100; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i)));
            }
            producer.flush();
        }
        assertThat(futures).allSatisfy(f -> assertThat(f.join().partition()).isEqualTo(2));
        assertThat(TaggingInterceptor.acknowledged.get() - before).isEqualTo(100);
        List<ConsumerRecord<byte[], byte[]>> records = kafka.consume(topic, 100, Duration.ofSeconds(30));
        assertThat(records).allSatisfy(r -> {
            assertThat(r.partition()).isEqualTo(2);
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).startsWith("tagged:value-");
        });
    }

    /**
     * A custom partitioner's exception reaches the caller the same way whether the topic's metadata was known
     * at send (the caller's thread partitions) or not (the sender partitions once it arrives): through the
     * future and the callback, on the callback thread, never thrown by send.
     */
    @Test
    void aPartitionerThatThrowsFailsTheRecordThroughItsFutureWhetherOrNotMetadataWasKnown() throws Exception {
        String topic = kafka.uniqueTopic("refusing-partitioner");
        kafka.createTopic(topic, 1, 1);
        Map<String, Object> config = TestProducers.config(kafka);
        config.put(ProducerConfig.PARTITIONER_CLASS, RefusingPartitioner.class.getName());
        try (CourierProducer<String, String> producer =
                     new CourierProducer<>(config, new StringSerializer(), new StringSerializer())) {
            List<String> callbackThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
            Callback recordThread = (metadata, exception) -> callbackThreads.add(Thread.currentThread().getName());
            CompletableFuture<RecordMetadata> beforeMetadata =
                    producer.send(new ProducerRecord<>(topic, "boom", "v"), recordThread);
            assertThat(producer.send(new ProducerRecord<>(topic, "fine", "v")).get(30, TimeUnit.SECONDS).partition())
                    .isZero();
            CompletableFuture<RecordMetadata> afterMetadata =
                    producer.send(new ProducerRecord<>(topic, "boom", "v"), recordThread);

            for (CompletableFuture<RecordMetadata> future : List.of(beforeMetadata, afterMetadata)) {
                assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(IllegalStateException.class)
                        .hasRootCauseMessage("no partition for boom");
            }
            assertThat(callbackThreads).hasSize(2).allSatisfy(name -> assertThat(name)
                    .startsWith("courier-producer-callbacks-"));
            assertThat(producer.status().failed()).isEqualTo(2);
            assertThat(producer.metrics().get("record-error-total").value()).isEqualTo(2.0);
        }
    }
}
