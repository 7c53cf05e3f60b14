package dev.courier.producer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.courier.test.EmbeddedKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The idempotent producer (defaults: five requests in flight) streaming keyed records to a single broker that is
 * shut down cleanly, stays down a few seconds and comes back on the same port, several times over (the delivery
 * issue "one partition retried OUT_OF_ORDER_SEQUENCE_NUMBER until delivery.timeout.ms after a broker bounce").
 *
 * <p>Each round starts a new producer whose stream begins while the broker is down, so at the restart each
 * partition's first batches of the new producer id are queued, and the first request after the restart often meets
 * a partition the broker does not lead yet (NOT_LEADER_OR_FOLLOWER) while the requests pipelined behind it are
 * served. A broker that holds no state for a producer id on a partition accepts any sequence, so a batch with a
 * later sequence written there before the partition's first batch left the first batch out of order for good. The
 * previous round's stream keeps running through the bounce, so each restart also hits a producer the broker knows.
 * Every stream must come out exactly once, in order, with no failed and no pending future.
 */
class BrokerBounceIntegrationTests {

    private static final Logger log = LoggerFactory.getLogger(BrokerBounceIntegrationTests.class);

    private static final int BROKER = 0;
    private static final int PARTITIONS = 6;
    private static final int ROUNDS = 5;
    /** Two streams overlap during each bounce: about 10,000 records/s in all. */
    private static final int RECORDS_PER_SECOND = 5_000;
    private static final int MIN_RECORDS = 20_000;
    private static final Duration DOWN_FOR = Duration.ofSeconds(3);
    /** Records acknowledged after a restart, beyond what was sent before it, before the script moves on. */
    private static final int PROGRESS_AFTER_RESTART = 5_000;
    /** Short enough that a batch stuck in a retry loop fails within the test, long enough for a bounce. */
    private static final int DELIVERY_TIMEOUT_MS = 30_000;
    private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(60);

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startCluster() {
        kafka = EmbeddedKafka.start(1);
    }

    @AfterAll
    static void stopCluster() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyStreamIsDeliveredExactlyOnceInOrderThroughRepeatedCleanBrokerRestarts() {
        String warmUpTopic = kafka.uniqueTopic("broker-bounce-warm-up");
        kafka.createTopic(warmUpTopic, 1, 1);
        List<String> topics = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            String topic = kafka.uniqueTopic("broker-bounce");
            kafka.createTopic(topic, PARTITIONS, 1);
            topics.add(topic);
        }
        long startNs = System.nanoTime();
        List<DeliveryReport> reports = new ArrayList<>();
        Producer<String, String> previousProducer = null;
        RecordStream previous = null;
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                String topic = topics.get(round - 1);
                Producer<String, String> producer = DeliveryMode.IDEMPOTENT.newProducer(config(round));
                // Connected, with a producer id and the topic's leaders, but nothing written to the topic yet.
                assertThat(producer.partitionsFor(topic)).hasSize(PARTITIONS);
                producer.send(new ProducerRecord<>(warmUpTopic, "round", Integer.toString(round)))
                        .get(30, TimeUnit.SECONDS);

                log.info("Round {}: stopping broker {}", round, BROKER);
                kafka.stopBroker(BROKER);
                RecordStream stream = new RecordStream(producer, topic, RECORDS_PER_SECOND, MIN_RECORDS,
                        100 * RECORDS_PER_SECOND).start();
                pause(DOWN_FOR); // the broker stays down this long: the scenario, not a wait for a condition
                kafka.startBroker(BROKER);
                kafka.awaitLeaders(topic, PARTITIONS, 1);
                log.info("Round {}: broker {} back, {} records sent, {} acknowledged", round, BROKER, stream.sent(),
                        stream.acked());
                awaitAcknowledged(stream, stream.sent() + PROGRESS_AFTER_RESTART);
                if (previous != null) {
                    awaitAcknowledged(previous, previous.sent() + PROGRESS_AFTER_RESTART);
                    reports.add(finish(previous, previousProducer, "round " + (round - 1)));
                }
                previous = stream;
                previousProducer = producer;
            }
            reports.add(finish(previous, previousProducer, "round " + ROUNDS));
            previousProducer = null;
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            if (previousProducer != null) {
                previousProducer.close(Duration.ofSeconds(5));
            }
        }
        log.info("Broker bounce: {} rounds took {} s", ROUNDS, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNs));

        for (DeliveryReport report : reports) {
            assertThat(report.failed).as("records whose future failed; %s", report).isZero();
            report.assertExactlyOnceInOrder();
            assertThat(report.acked).as("acknowledged; %s", report).isEqualTo(report.sent);
        }
    }

    private static Map<String, Object> config(int round) {
        Map<String, Object> config = new HashMap<>(TestProducers.config(kafka));
        config.put(ProducerConfig.CLIENT_ID, "broker-bounce-" + round);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS, DELIVERY_TIMEOUT_MS);
        return config;
    }

    /** Ends a stream, waits for every future, closes its producer and reads its topic back. */
    private static DeliveryReport finish(RecordStream stream, Producer<String, String> producer, String label) {
        stream.finish();
        try {
            stream.awaitCompletion(Duration.ofMillis(DELIVERY_TIMEOUT_MS).plus(PHASE_TIMEOUT));
        } finally {
            producer.close(Duration.ofSeconds(30));
        }
        List<ConsumerRecord<byte[], byte[]>> records = kafka.consumeAll(stream.topic(), PHASE_TIMEOUT);
        return DeliveryReport.of("Broker bounce, " + label, stream, records).log();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static void awaitAcknowledged(RecordStream stream, long target) {
        await("at least " + target + " records acknowledged on " + stream.topic())
                .atMost(PHASE_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> stream.acked() >= target || stream.failed() > 0);
    }
}
