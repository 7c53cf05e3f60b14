package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.errors.ProducerClosedException;
import dev.courier.producer.serialization.StringSerializer;
import dev.courier.test.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** flush, graceful and forced close, partitionsFor and metrics. */
class ProducerLifecycleIntegrationTests {

    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();

    private static Map<String, Object> longLinger() {
        Map<String, Object> config = TestProducers.config(kafka);
        config.put(ProducerConfig.LINGER_MS, 60_000);
        config.put(ProducerConfig.BATCH_SIZE, 1_000_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS, 120_000);
        return config;
    }

    @Test
    void flushCompletesEverySendMadeBeforeIt() {
        String topic = kafka.uniqueTopic("flush");
        kafka.createTopic(topic, 3, 1);
        try (Producer<String, String> producer = new CourierProducer<>(longLinger(), new StringSerializer(), new StringSerializer())) {
            List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)));
            }
            assertThat(futures).anySatisfy(f -> assertThat(f).isNotDone());
            producer.flush();
            assertThat(futures).allSatisfy(f -> assertThat(f).isCompletedWithValueMatching(m -> m.offset() >= 0));
        }
        assertThat(kafka.consume(topic, 1_000, Duration.ofSeconds(30))).hasSize(1_000);
    }

    @Test
    void gracefulCloseDeliversEverythingAccepted() {
        String topic = kafka.uniqueTopic("graceful-close");
        kafka.createTopic(topic, 2, 1);
        AtomicInteger callbacks = new AtomicInteger();
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        Producer<String, String> producer = new CourierProducer<>(longLinger(), new StringSerializer(), new StringSerializer());
        for (int i = 0; i < 10_000; i++) {
            futures.add(producer.send(new ProducerRecord<>(topic, "v" + i), (m, e) -> callbacks.incrementAndGet()));
        }
        producer.close();
        assertThat(futures).allSatisfy(f -> assertThat(f).isCompletedWithValueMatching(m -> m.offset() >= 0));
        assertThat(callbacks).hasValue(10_000);
        assertThat(kafka.consume(topic, 10_000, Duration.ofSeconds(30))).hasSize(10_000);
    }

    @Test
    void forcedCloseFailsEverythingPendingAtOnce() {
        String topic = kafka.uniqueTopic("forced-close");
        kafka.createTopic(topic, 1, 1);
        AtomicInteger failedCallbacks = new AtomicInteger();
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        Producer<String, String> producer = new CourierProducer<>(longLinger(), new StringSerializer(), new StringSerializer());
        for (int i = 0; i < 5_000; i++) {
            futures.add(producer.send(new ProducerRecord<>(topic, "v" + i), (m, e) -> {
                if (e instanceof ProducerClosedException) {
                    failedCallbacks.incrementAndGet();
                }
            }));
        }
        producer.close(Duration.ZERO);
        assertThat(futures).allSatisfy(f -> assertThatThrownBy(f::join).hasCauseInstanceOf(ProducerClosedException.class));
        assertThat(failedCallbacks).hasValue(5_000);
        assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "late")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeWithATimeoutDeliversWhatItCanThenAbortsTheRest() {
        String topic = kafka.uniqueTopic("close-timeout");
        kafka.createTopic(topic, 1, 1);
        Producer<String, String> producer = new CourierProducer<>(longLinger(), new StringSerializer(), new StringSerializer());
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            futures.add(producer.send(new ProducerRecord<>(topic, "v" + i)));
        }
        producer.close(Duration.ofSeconds(30));
        // with time enough, a bounded close is graceful: everything arrives
        assertThat(futures).allSatisfy(f -> assertThat(f).isCompletedWithValueMatching(m -> m.offset() >= 0));
    }

    @Test
    void callbacksOfOnePartitionRunInSendOrder() {
        String topic = kafka.uniqueTopic("callback-order");
        kafka.createTopic(topic, 3, 1);
        Map<Integer, List<Long>> offsetsByPartition = new java.util.concurrent.ConcurrentHashMap<>();
        Map<Integer, List<Integer>> sequencesByPartition = new java.util.concurrent.ConcurrentHashMap<>();
        try (Producer<String, String> producer = new CourierProducer<>(TestProducers.config(kafka), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 3_000; i++) {
                int partition = i % 3;
                int sequence = i;
                producer.send(new ProducerRecord<>(topic, partition, null, "v" + i), (m, e) -> {
                    offsetsByPartition.computeIfAbsent(m.partition(), p -> new ArrayList<>()).add(m.offset());
                    sequencesByPartition.computeIfAbsent(m.partition(), p -> new ArrayList<>()).add(sequence);
                });
            }
            producer.flush();
        }
        assertThat(offsetsByPartition).hasSize(3);
        offsetsByPartition.forEach((partition, offsets) -> assertThat(offsets).isSorted().hasSize(1_000));
        sequencesByPartition.forEach((partition, sequences) -> assertThat(sequences).isSorted());
    }

    @Test
    void partitionsForDescribesTheTopic() {
        String topic = kafka.uniqueTopic("describe");
        kafka.createTopic(topic, 5, 1);
        try (Producer<String, String> producer = new CourierProducer<>(TestProducers.config(kafka), new StringSerializer(), new StringSerializer())) {
            List<PartitionInfo> partitions = producer.partitionsFor(topic);
            assertThat(partitions).extracting(PartitionInfo::partition).containsExactly(0, 1, 2, 3, 4);
            assertThat(partitions).allSatisfy(p -> {
                assertThat(p.topic()).isEqualTo(topic);
                assertThat(p.leader()).isGreaterThanOrEqualTo(0);
                assertThat(p.replicas()).hasSize(1);
            });
        }
    }

    @Test
    void metricsCountWhatWasSent() {
        String topic = kafka.uniqueTopic("metrics");
        kafka.createTopic(topic, 1, 1);
        try (Producer<String, String> producer = new CourierProducer<>(TestProducers.config(kafka), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 500; i++) {
                producer.send(new ProducerRecord<>(topic, "value-" + i));
            }
            producer.flush();
            Map<String, Metric> metrics = producer.metrics();
            assertThat(metrics.get("record-send-total").value()).isEqualTo(500.0);
            assertThat(metrics.get("record-error-total").value()).isZero();
            assertThat(metrics.get("request-total").value()).isGreaterThanOrEqualTo(1.0);
            assertThat(metrics.get("outgoing-byte-total").value()).isGreaterThan(500 * 9.0);
            assertThat(metrics.get("batch-size-avg").value()).isGreaterThan(0.0);
            assertThat(metrics.get("records-per-request-avg").value()).isGreaterThanOrEqualTo(1.0);
            assertThat(metrics.get("request-latency-avg").value()).isGreaterThanOrEqualTo(0.0);
            assertThat(metrics.get("buffer-available-bytes").value()).isEqualTo(metrics.get("buffer-total-bytes").value());
            assertThat(metrics.get("requests-in-flight").value()).isZero();
            assertThat(metrics.get("waiting-threads").value()).isZero();
        }
    }
}
