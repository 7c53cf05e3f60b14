package dev.courier.producer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.courier.producer.errors.TimeoutException;
import dev.courier.producer.serialization.StringSerializer;
import dev.courier.test.EmbeddedKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Courier on a three-broker cluster (one separate controller) while brokers stop and restart: a stopped broker's
 * leaderships move, and a restarted broker comes back on a new port that the producer must learn from metadata.
 * Topics have replication factor 3 and {@code min.insync.replicas=2}; the producer uses {@code acks=all}.
 *
 * <p>The tests share one cluster and run in order; each leaves every broker running.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverIntegrationTests {

    private static final Logger log = LoggerFactory.getLogger(FailoverIntegrationTests.class);

    private static final int PARTITIONS = 6;
    private static final int REPLICATION = 3;
    private static final Map<String, String> MIN_ISR_2 = Map.of("min.insync.replicas", "2");
    private static final int MIN_RECORDS = 200_000;
    /** Slow enough that the restarts happen while records flow, fast enough to send MIN_RECORDS in about 25 s. */
    private static final int RECORDS_PER_SECOND = 8_000;
    /** Progress the stream must make in each phase (broker down, broker back) before the script moves on. */
    private static final int PROGRESS_PER_PHASE = 10_000;
    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(2);

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startCluster() {
        kafka = EmbeddedKafka.start(3);
    }

    @AfterAll
    static void stopCluster() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Order(1)
    void withIdempotenceEveryAcknowledgedRecordIsReadExactlyOnceInSendOrderThroughTwoLeaderRestarts() {
        DeliveryReport report = streamThroughTwoLeaderRestarts(DeliveryMode.IDEMPOTENT);

        report.assertExactlyOnceInOrder();
        assertThat(report.sent).isGreaterThanOrEqualTo(MIN_RECORDS);
    }

    @Test
    @Order(2)
    void withoutIdempotenceNoAcknowledgedRecordIsLostOrReorderedThroughTwoLeaderRestarts() {
        DeliveryReport report = streamThroughTwoLeaderRestarts(DeliveryMode.NOT_IDEMPOTENT);

        report.assertNothingLostInOrder();
        assertThat(report.sent).isGreaterThanOrEqualTo(MIN_RECORDS);
    }

    @Test
    @Order(3)
    void notEnoughReplicasIsRetriedUntilTheDeliveryTimeoutThenEveryRecordFailsNamingTheError() {
        String topic = kafka.uniqueTopic("not-enough-replicas");
        kafka.createTopic(topic, 1, REPLICATION, MIN_ISR_2);
        int leader = kafka.leaderOf(topic, 0);
        List<Integer> followers = kafka.brokerIds().stream().filter(id -> id != leader).toList();
        Map<String, Object> config = TestProducers.config(kafka);
        config.put(ProducerConfig.ACKS, "all");
        config.put(ProducerConfig.LINGER_MS, 0);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS, 2_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS, 6_000);
        config.put(ProducerConfig.RETRY_BACKOFF_MAX_MS, 500);
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(), new StringSerializer());
        try {
            assertThat(producer.partitionsFor(topic)).hasSize(1); // metadata known before the followers go
            followers.forEach(kafka::stopBroker);
            for (int i = 0; i < 20; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i)));
            }

            await("every future to complete").atMost(Duration.ofSeconds(60))
                    .until(() -> futures.stream().allMatch(CompletableFuture::isDone));
            List<Throwable> failures = futures.stream().map(TestProducers::failureOf).toList();
            assertThat(failures).as("how each record failed").allMatch(TimeoutException.class::isInstance);
            assertThat(failures.stream().map(Throwable::getMessage).distinct())
                    .as("the timeout names the error the broker kept returning")
                    .allSatisfy(message -> assertThat(message).contains("NOT_ENOUGH_REPLICAS"));
            assertThat(producer.metrics().get("record-retry-total").value())
                    .as("batches retried after NOT_ENOUGH_REPLICAS").isPositive();
        } finally {
            CompletableFuture<Void> closing = CompletableFuture.runAsync(producer::close);
            await("close() to return").atMost(Duration.ofSeconds(30)).until(closing::isDone);
            followers.forEach(kafka::startBroker);
            kafka.awaitLeaders(topic, 1, REPLICATION);
        }
        assertThat(kafka.consumeAll(topic, Duration.ofSeconds(30)))
                .as("records refused with NOT_ENOUGH_REPLICAS are not in the log").isEmpty();
    }

    /**
     * Streams at least {@link #MIN_RECORDS} keyed records while the leader of partition 0 stops and comes back,
     * then a second broker (one leading some other partition if there is one) does the same; then reads the topic
     * back and reports.
     */
    private DeliveryReport streamThroughTwoLeaderRestarts(DeliveryMode mode) {
        String topic = kafka.uniqueTopic("failover-" + mode.name().toLowerCase());
        kafka.createTopic(topic, PARTITIONS, REPLICATION, MIN_ISR_2);
        Map<String, Object> config = new HashMap<>(TestProducers.config(kafka));
        config.put(ProducerConfig.ACKS, "all");
        config.put(ProducerConfig.CLIENT_ID, "failover-" + mode);
        long startNs = System.nanoTime();
        RecordStream stream;
        double retries;
        try (Producer<String, String> producer = mode.newProducer(config)) {
            stream = new RecordStream(producer, topic, RECORDS_PER_SECOND, MIN_RECORDS, 12 * MIN_RECORDS).start();
            awaitAcknowledged(stream, PROGRESS_PER_PHASE);

            int first = kafka.leaderOf(topic, 0);
            bounce(first, stream, topic);
            int second = secondVictim(topic, first);
            bounce(second, stream, topic);

            stream.finish();
            stream.awaitCompletion(PHASE_TIMEOUT);
            retries = producer.metrics().get("record-retry-total").value();
        }
        List<ConsumerRecord<byte[], byte[]>> records = kafka.consumeAll(topic, PHASE_TIMEOUT);
        DeliveryReport report = DeliveryReport.of("Failover, " + mode, stream, records).log();
        log.info("Failover, {}: took {} s, batches retried {}", mode,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNs), (long) retries);
        return report;
    }

    /**
     * Stops {@code broker}, waits for records to flow without it, restarts it (on a new port), gives it back its
     * preferred leaderships and waits for records to flow again.
     */
    private static void bounce(int broker, RecordStream stream, String topic) {
        log.info("Stopping broker {} after {} records sent, {} acknowledged", broker, stream.sent(), stream.acked());
        kafka.stopBroker(broker);
        kafka.awaitLeaders(topic, PARTITIONS, REPLICATION);
        awaitAcknowledged(stream, stream.acked() + PROGRESS_PER_PHASE);
        log.info("Restarting broker {} after {} records sent, {} acknowledged", broker, stream.sent(), stream.acked());
        kafka.startBroker(broker);
        kafka.awaitLeaders(topic, PARTITIONS, REPLICATION);
        // Leadership returns to the restarted broker, so the producer must reach it at its new port.
        kafka.electPreferredLeaders(topic, PARTITIONS, REPLICATION);
        assertThat(IntStream.range(0, PARTITIONS).map(p -> kafka.leaderOf(topic, p)))
                .as("leaders after broker %d came back", broker).contains(broker);
        awaitAcknowledged(stream, stream.acked() + PROGRESS_PER_PHASE);
    }

    /** A broker other than {@code first} that leads a partition of {@code topic}, else any other broker. */
    private static int secondVictim(String topic, int first) {
        for (int p = 0; p < PARTITIONS; p++) {
            int leader = kafka.leaderOf(topic, p);
            if (leader != first) {
                return leader;
            }
        }
        return kafka.brokerIds().stream().filter(id -> id != first).findFirst().orElseThrow();
    }

    private static void awaitAcknowledged(RecordStream stream, long target) {
        await("at least " + target + " records acknowledged on " + stream.topic())
                .atMost(PHASE_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> stream.acked() >= target);
    }
}
