package dev.courier.producer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.courier.producer.testing.ProcessCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The idempotent producer (defaults, {@code acks=all}) streaming keyed records to a three-node cluster of broker
 * processes ({@link ProcessCluster}: replication factor 3, {@code min.insync.replicas} 2) while the test, one fault
 * at a time, kills a node with {@code SIGKILL} and restarts it a few seconds later, or freezes it with
 * {@code SIGSTOP} for longer than {@code request.timeout.ms} and then lets it go on with {@code SIGCONT} (see
 * {@link Fault}). A killed broker never closes its connections or says goodbye to the controller; a frozen one keeps
 * its connections open and answers nothing, so the producer's requests to it time out, and it comes back with its
 * old state and the requests it received while frozen.
 *
 * <p>Before each fault every broker is up, every replica in sync and every partition led by its preferred replica,
 * so the victim leads partitions the stream writes to. A kill or a stop lasts its drawn time, and at least until
 * the controller has fenced the victim and moved its leaderships; a brief stop ends before the controller notices.
 * Then the test waits for the cluster to be whole and for records to flow. Every record must be acknowledged, read back exactly once and in send order per partition,
 * with no future left pending ({@code delivery.timeout.ms} is far longer than any fault, so nothing may fail).
 *
 * <p>The victims, the kind of each fault and how long it lasts derive from one seed, printed at the start; rerun
 * with {@code -Dcourier.kill.seed=<seed>}.
 */
class UncleanBrokerDeathIntegrationTests {

    private static final Logger log = LoggerFactory.getLogger(UncleanBrokerDeathIntegrationTests.class);

    private static final long SEED = Long.getLong("courier.kill.seed", System.nanoTime());
    private static final int NODES = 3;
    private static final int PARTITIONS = 6;
    private static final Map<String, String> MIN_ISR_2 = Map.of("min.insync.replicas", "2");
    private static final int FAULTS = 6;
    private static final int RECORDS_PER_SECOND = 2_000;
    private static final int MIN_RECORDS = 20_000;
    /** Records acknowledged after a fault, beyond what was sent before the cluster healed, before the next one. */
    private static final int PROGRESS_PER_FAULT = 4_000;
    private static final int REQUEST_TIMEOUT_MS = 3_000;
    /**
     * A fault lasts 5 to 8 s: longer than {@code request.timeout.ms}, so requests to a frozen broker time out, and
     * than the brokers' 4 s session, so the controller fences the victim and moves its leaderships (the test waits
     * for that before ending a fault in any case).
     */
    private static final int FAULT_MIN_MS = 5_000;
    private static final int FAULT_SPREAD_MS = 3_000;
    private static final int BRIEF_STOP_MS = REQUEST_TIMEOUT_MS + 1_000;
    /** Long enough that a brief stop (plus a heartbeat interval) never expires the victim's session. */
    private static final Map<String, String> BROKER_SESSION = Map.of("broker.session.timeout.ms", "6000");
    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(2);

    private static ProcessCluster cluster;

    /** What happens to the victim; the test goes through them in turn. */
    private enum Fault {
        /** SIGKILL, restarted on its ports and data once fenced and its time is up. */
        KILL,
        /** SIGSTOP until fenced and its time is up, then SIGCONT: it comes back with stale state. */
        STOP,
        /**
         * SIGSTOP for longer than {@code request.timeout.ms} but shorter than the broker session: the producer gives
         * up on requests the broker still holds and handles after SIGCONT, while the victim stays leader.
         */
        BRIEF_STOP
    }

    @BeforeAll
    static void startCluster() {
        log.info("Unclean broker death seed {} (rerun with -Dcourier.kill.seed={})", SEED, SEED);
        cluster = ProcessCluster.start(NODES, BROKER_SESSION);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyRecordIsDeliveredExactlyOnceInOrderThroughKilledAndFrozenBrokers() {
        Random random = new Random(SEED);
        String topic = "unclean-death";
        cluster.createTopic(topic, PARTITIONS, NODES, MIN_ISR_2);
        Map<String, Object> config = TestProducers.config(cluster.bootstrapServers());
        config.put(ProducerConfig.CLIENT_ID, "unclean-death");
        config.put(ProducerConfig.ACKS, "all");
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS, REQUEST_TIMEOUT_MS);
        long startNs = System.nanoTime();
        List<String> script = new ArrayList<>();
        RecordStream stream;
        double retries;
        try (Producer<String, String> producer = DeliveryMode.IDEMPOTENT.newProducer(config)) {
            stream = new RecordStream(producer, topic, RECORDS_PER_SECOND, MIN_RECORDS, 1_000 * RECORDS_PER_SECOND)
                    .start();
            awaitAcknowledged(stream, PROGRESS_PER_FAULT);
            int firstKind = random.nextInt(Fault.values().length);
            for (int fault = 0; fault < FAULTS; fault++) {
                Fault kind = Fault.values()[(firstKind + fault) % Fault.values().length]; // each kind happens
                int node = random.nextInt(NODES);
                long lastsMs = kind == Fault.BRIEF_STOP ? BRIEF_STOP_MS
                        : FAULT_MIN_MS + random.nextInt(FAULT_SPREAD_MS);
                List<Integer> led = ledBy(topic, node);
                String step = kind + " node " + node + " (leading partitions " + led + ") for " + lastsMs + " ms";
                script.add(step);
                log.info("Fault {}/{}: {}; {} sent, {} acknowledged", fault + 1, FAULTS, step, stream.sent(),
                        stream.acked());
                long faultStartNs = System.nanoTime();
                if (kind == Fault.KILL) {
                    cluster.kill(node);
                } else {
                    cluster.pause(node);
                }
                if (kind != Fault.BRIEF_STOP) {
                    cluster.awaitFenced(node);
                }
                holdUntil(faultStartNs + TimeUnit.MILLISECONDS.toNanos(lastsMs));
                if (kind == Fault.KILL) {
                    cluster.restart(node);
                } else {
                    cluster.resume(node);
                }
                log.info("Fault {}/{}: node {} back after {} ms", fault + 1, FAULTS, node,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - faultStartNs));
                cluster.awaitHealthy(topic);
                awaitAcknowledged(stream, stream.sent() + PROGRESS_PER_FAULT);
            }
            stream.finish();
            stream.awaitCompletion(PHASE_TIMEOUT);
            retries = producer.metrics().get("record-retry-total").value();
        }
        DeliveryReport report = DeliveryReport.of("Unclean broker death", stream,
                cluster.consumeAll(topic, PHASE_TIMEOUT)).log();
        log.info("Unclean broker death: seed {}, took {} s, batches retried {}, faults {}", SEED,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNs), (long) retries, script);

        assertThat(report.failed).as("records whose future failed; %s", report).isZero();
        report.assertExactlyOnceInOrder();
        assertThat(report.acked).as("acknowledged; %s", report).isEqualTo(report.sent);
    }

    private static List<Integer> ledBy(String topic, int node) {
        List<Integer> partitions = new ArrayList<>();
        cluster.leaders(topic).forEach((partition, leader) -> {
            if (leader == node) {
                partitions.add(partition);
            }
        });
        return partitions;
    }

    /** How long a node stays dead or frozen: the scenario itself, not a wait for a condition. */
    private static void holdUntil(long deadlineNs) {
        long millis = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
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
