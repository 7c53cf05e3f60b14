package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.serialization.StringSerializer;
import dev.courier.test.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Many records, many partitions, many threads: nothing lost, nothing reordered within a partition. */
class ProducerVolumeIntegrationTests {

    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();

    @Test
    void hundredThousandRecordsOverSeveralTopicsKeepTheirOrderPerPartition() {
        List<String> topics = List.of(kafka.uniqueTopic("volume-a"), kafka.uniqueTopic("volume-b"),
                kafka.uniqueTopic("volume-c"));
        for (String topic : topics) {
            kafka.createTopic(topic, 4, 1);
        }
        int total = 100_000;
        Map<String, Object> config = TestProducers.config(kafka);
        config.put(ProducerConfig.COMPRESSION_TYPE, "lz4");
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>(total);
        try (Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < total; i++) {
                String topic = topics.get(i % topics.size());
                futures.add(producer.send(new ProducerRecord<>(topic, i % 4, null, Integer.toString(i))));
            }
            producer.flush();
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();

        for (int t = 0; t < topics.size(); t++) {
            String topic = topics.get(t);
            int expected = total / topics.size() + (t < total % topics.size() ? 1 : 0);
            List<ConsumerRecord<byte[], byte[]>> records = kafka.consume(topic, expected, Duration.ofSeconds(60));
            assertThat(records).hasSize(expected);
            Map<Integer, Integer> lastSeen = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                int sequence = Integer.parseInt(new String(record.value(), StandardCharsets.UTF_8));
                assertThat(sequence % topics.size()).as("topic of record %d", sequence).isEqualTo(t);
                assertThat(sequence % 4).as("partition of record %d", sequence).isEqualTo(record.partition());
                Integer previous = lastSeen.put(record.partition(), sequence);
                if (previous != null) {
                    assertThat(sequence).as("order in %s-%d", topic, record.partition()).isGreaterThan(previous);
                }
            }
        }
    }

    @Test
    void aBurstLargerThanBufferMemorySentBeforeMetadataArrivesIsDeliveredInFull() {
        String topic = kafka.uniqueTopic("burst-before-metadata");
        kafka.createTopic(topic, 2, 1);
        Map<String, Object> config = TestProducers.config(kafka);
        config.put(ProducerConfig.BUFFER_MEMORY, 256 * 1024);
        config.put(ProducerConfig.BATCH_SIZE, 16 * 1024);
        config.put(ProducerConfig.MAX_BLOCK_MS, 10_000);
        int total = 50_000; // ~9 MB of reservations while the topic is unknown: 35 times buffer.memory
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>(total);
        try (Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < total; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, "value-" + "x".repeat(90) + i)));
            }
            producer.flush();
        }
        assertThat(futures).allSatisfy(f -> assertThat(f).isCompletedWithValueMatching(m -> m.offset() >= 0));
        assertThat(kafka.consume(topic, total, Duration.ofSeconds(60))).hasSize(total);
    }

    @Test
    void eightThreadsSendingAtOnceLoseNothingAndKeepEachThreadsOrder() throws Exception {
        String topic = kafka.uniqueTopic("concurrent");
        kafka.createTopic(topic, 3, 1);
        int threads = 8;
        int perThread = 5_000;
        ConcurrentLinkedQueue<CompletableFuture<RecordMetadata>> futures = new ConcurrentLinkedQueue<>();
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try (Producer<String, String> producer =
                     new CourierProducer<>(TestProducers.config(kafka), new StringSerializer(), new StringSerializer())) {
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String key = "thread-" + t;
                tasks.add(executor.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        futures.add(producer.send(new ProducerRecord<>(topic, key, key + ":" + i)));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> task : tasks) {
                task.get(2, TimeUnit.MINUTES);
            }
            producer.flush();
        } finally {
            executor.shutdownNow();
        }
        assertThat(futures).hasSize(threads * perThread).allSatisfy(f -> assertThat(f).isCompleted());

        List<ConsumerRecord<byte[], byte[]>> records = kafka.consume(topic, threads * perThread, Duration.ofSeconds(60));
        assertThat(records).hasSize(threads * perThread);
        Map<String, Integer> lastByThread = new HashMap<>();
        Map<String, Integer> partitionByThread = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String[] parts = new String(record.value(), StandardCharsets.UTF_8).split(":");
            int sequence = Integer.parseInt(parts[1]);
            Integer previous = lastByThread.put(parts[0], sequence);
            assertThat(sequence).as("order of %s", parts[0]).isEqualTo(previous == null ? 0 : previous + 1);
            Integer partition = partitionByThread.putIfAbsent(parts[0], record.partition());
            assertThat(partition == null ? record.partition() : partition).isEqualTo(record.partition());
        }
        assertThat(lastByThread).hasSize(threads).allSatisfy((thread, last) -> assertThat(last).isEqualTo(perThread - 1));
    }
}
