package dev.courier.producer;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

import dev.courier.producer.errors.TimeoutException;
import dev.courier.producer.serialization.StringSerializer;
import dev.courier.test.EmbeddedKafka;
import dev.courier.producer.testing.FaultyProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Courier against a three-broker cluster reached only through {@link FaultyProxy}s, one per broker: the brokers
 * advertise the proxies' addresses on the listener the producer bootstraps from
 * ({@link EmbeddedKafka#startBehindProxies}), so every connection the producer makes, to whichever broker metadata
 * names, goes through a proxy. The proxies cut connections inside requests, hold responses past
 * {@code request.timeout.ms}, blackhole a broker, or play dead; they also cut connections inside responses.
 *
 * <p>Every random choice (which requests are cut and where, which broker is slowed or blackholed) derives from one
 * seed, printed at the start; rerun with {@code -Dcourier.faults.seed=<seed>} to repeat a run's choices.
 */
class FaultInjectionIntegrationTests {

    private static final Logger log = LoggerFactory.getLogger(FaultInjectionIntegrationTests.class);

    private static final long SEED = Long.getLong("courier.faults.seed", System.nanoTime());
    private static final int BROKERS = 3;
    private static final int PARTITIONS = 6;
    private static final Map<String, String> MIN_ISR_2 = Map.of("min.insync.replicas", "2");
    private static final int MIN_RECORDS = 50_000;
    private static final int RECORDS_PER_SECOND = 5_000;
    private static final int PROGRESS_PER_PHASE = 5_000;
    private static final int REQUEST_TIMEOUT_MS = 3_000;
    private static final double CUT_PROBABILITY = 0.05;
    private static final int CUTS_PER_PHASE = 30;
    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(2);

    private static final Map<Integer, FaultyProxy> proxies = new TreeMap<>();
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startClusterBehindProxies() {
        log.info("Fault injection seed {} (rerun with -Dcourier.faults.seed={})", SEED, SEED);
        Map<Integer, Integer> ports = new TreeMap<>();
        for (int id = 0; id < BROKERS; id++) {
            FaultyProxy proxy = new FaultyProxy("broker-" + id, SEED + id);
            proxies.put(id, proxy);
            ports.put(id, proxy.port());
        }
        kafka = EmbeddedKafka.startBehindProxies(BROKERS, Map.of(), ports);
        proxies.forEach((id, proxy) -> proxy.upstream(
                () -> new InetSocketAddress("127.0.0.1", kafka.proxiedListenerPort(id))));
    }

    @AfterAll
    static void stopClusterAndProxies() {
        proxies.values().forEach(FaultyProxy::close);
        if (kafka != null) {
            kafka.close();
        }
    }

    @AfterEach
    void healTheNetwork() {
        for (FaultyProxy proxy : proxies.values()) {
            proxy.cutRequests(0);
            proxy.cutResponses(0);
            proxy.delayResponses(0);
            proxy.blackhole(false);
            proxy.down(false);
        }
    }

    @Test
    void withIdempotenceNothingIsLostDuplicatedOrReorderedThroughCutsSlowResponsesAndABlackhole() {
        DeliveryReport report = streamThroughFaults(DeliveryMode.IDEMPOTENT);

        report.assertExactlyOnceInOrder();
    }

    @Test
    void withoutIdempotenceNothingIsLostOrReorderedThroughCutsSlowResponsesAndABlackhole() {
        DeliveryReport report = streamThroughFaults(DeliveryMode.NOT_IDEMPOTENT);

        report.assertNothingLostInOrder();
    }

    @Test
    void withIdempotenceNothingIsLostDuplicatedOrReorderedThroughConnectionsCutInsideResponses() {
        DeliveryReport report = streamThroughResponseCuts(DeliveryMode.IDEMPOTENT);

        assertThat(report.failed).as("records whose future failed; %s", report).isZero();
        report.assertExactlyOnceInOrder();
    }

    /** The control: the same cuts duplicate records the broker had written when the producer is not idempotent. */
    @Test
    void withoutIdempotenceNothingIsLostOrReorderedThroughConnectionsCutInsideResponses() {
        DeliveryReport report = streamThroughResponseCuts(DeliveryMode.NOT_IDEMPOTENT);

        assertThat(report.failed).as("records whose future failed; %s", report).isZero();
        report.assertNothingLostInOrder();
    }

    /**
     * Streams keyed records while every proxy cuts 5% of responses inside, until 30 were cut and records flowed on.
     * A response cut inside reaches the client torn after the broker handled the request: the producer must resend
     * what the broker may already have written and resolve every future.
     */
    private DeliveryReport streamThroughResponseCuts(DeliveryMode mode) {
        String topic = kafka.uniqueTopic("response-cuts-" + mode.name().toLowerCase());
        kafka.createTopic(topic, PARTITIONS, BROKERS, MIN_ISR_2);
        Map<String, Object> config = proxiedConfig();
        config.put(ProducerConfig.CLIENT_ID, "response-cuts-" + mode);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS, REQUEST_TIMEOUT_MS);
        Map<Integer, FaultyProxy.Stats> before = stats();
        RecordStream stream;
        double retries;
        try (Producer<String, String> producer = mode.newProducer(config)) {
            stream = new RecordStream(producer, topic, RECORDS_PER_SECOND, MIN_RECORDS, 20 * MIN_RECORDS).start();
            awaitAcknowledged(stream, PROGRESS_PER_PHASE);

            long cutsBefore = total(FaultyProxy.Stats::responseCuts);
            long ackedBeforeCuts = stream.acked();
            proxies.values().forEach(proxy -> proxy.cutResponses(CUT_PROBABILITY));
            await("at least " + CUTS_PER_PHASE + " responses cut and records flowing").atMost(PHASE_TIMEOUT)
                    .until(() -> total(FaultyProxy.Stats::responseCuts) >= cutsBefore + CUTS_PER_PHASE
                            && stream.acked() >= ackedBeforeCuts + PROGRESS_PER_PHASE);
            proxies.values().forEach(proxy -> proxy.cutResponses(0));

            stream.finish();
            stream.awaitCompletion(PHASE_TIMEOUT);
            retries = producer.metrics().get("record-retry-total").value();
        }
        DeliveryReport report = DeliveryReport.of("Response cuts, " + mode, stream,
                kafka.consumeAll(topic, PHASE_TIMEOUT)).log();
        log.info("Response cuts, {}: seed {}, batches retried {}, proxies {}", mode, SEED, (long) retries,
                difference(before, stats()));
        return report;
    }

    @Test
    void recordsSentWhileEveryBrokerIsDownAreDeliveredOnceTheBrokersComeBackWithinMaxBlock() {
        String topic = kafka.uniqueTopic("down-at-start");
        kafka.createTopic(topic, 3, BROKERS, MIN_ISR_2);
        proxies.values().forEach(proxy -> proxy.down(true));
        long rejectedBefore = total(FaultyProxy.Stats::rejected);
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        Map<String, Object> config = proxiedConfig();
        config.put(ProducerConfig.LINGER_MS, 0);
        config.put(ProducerConfig.MAX_BLOCK_MS, 120_000);
        try (Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 100; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, "key-" + i, Integer.toString(i))));
            }
            await("the producer to find every broker down several times").atMost(PHASE_TIMEOUT)
                    .until(() -> total(FaultyProxy.Stats::rejected) >= rejectedBefore + 3);
            assertThat(futures).as("nothing can be delivered while every broker is down")
                    .noneMatch(CompletableFuture::isDone);

            proxies.values().forEach(proxy -> proxy.down(false));

            await("every record to be acknowledged").atMost(PHASE_TIMEOUT)
                    .until(() -> futures.stream().allMatch(CompletableFuture::isDone));
            assertThat(futures).allSatisfy(future -> assertThat(future).isCompletedWithValueMatching(m -> m.offset() >= 0));
        }
        assertThat(kafka.consumeAll(topic, PHASE_TIMEOUT)).hasSize(100);
    }

    /**
     * The records are sent while the producer still knows every leader (the brokers are blackholed: connections
     * look open), so each is in a batch before the brokers die; had they been sent after the producer noticed that
     * no broker answers, it would have gone back to the bootstrap servers and they would wait for metadata until
     * {@code max.block.ms} instead, which is a different test.
     */
    @Test
    void whenEveryBrokerStaysDownLongerThanTheDeliveryTimeoutEveryFutureFailsWithATimeoutAndCloseReturns() {
        String topic = kafka.uniqueTopic("down-too-long");
        kafka.createTopic(topic, 3, BROKERS, MIN_ISR_2);
        Map<String, Object> config = proxiedConfig();
        config.put(ProducerConfig.LINGER_MS, 0);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS, 1_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS, 3_000);
        config.put(ProducerConfig.MAX_BLOCK_MS, 10_000);
        Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(), new StringSerializer());
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try {
            assertThat(producer.send(new ProducerRecord<>(topic, "key", "before")).join().offset())
                    .as("connected and knows the leaders").isZero();
            proxies.values().forEach(proxy -> proxy.blackhole(true));
            for (int i = 0; i < 100; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, "key-" + i, Integer.toString(i))));
            }
            proxies.values().forEach(proxy -> proxy.down(true));

            await("every future to complete").atMost(PHASE_TIMEOUT)
                    .until(() -> futures.stream().allMatch(CompletableFuture::isDone));
            List<Throwable> failures = futures.stream().map(TestProducers::failureOf).toList();
            assertThat(failures).as("how each record failed").allMatch(TimeoutException.class::isInstance);
            assertThat(failures.stream().map(Throwable::getMessage).distinct())
                    .as("failed by delivery.timeout.ms, not by waiting for metadata")
                    .allSatisfy(message -> assertThat(message).contains("delivery.timeout.ms"));
        } finally {
            CompletableFuture<Void> closing = CompletableFuture.runAsync(producer::close);
            await("close() to return").atMost(Duration.ofSeconds(30)).until(closing::isDone);
        }
    }

    /**
     * Streams keyed records through the proxies while, one after another: every proxy cuts 5% of requests at a
     * random byte; one broker's responses arrive after {@code request.timeout.ms}; one broker is blackholed. Each
     * phase lasts until the producer has visibly met the fault (30 cuts; two connections given up on the slow or
     * blackholed broker), and records must flow again before the next one.
     */
    private DeliveryReport streamThroughFaults(DeliveryMode mode) {
        Random random = new Random(SEED ^ mode.ordinal());
        String topic = kafka.uniqueTopic("faults-" + mode.name().toLowerCase());
        kafka.createTopic(topic, PARTITIONS, BROKERS, MIN_ISR_2);
        Map<String, Object> config = proxiedConfig();
        config.put(ProducerConfig.CLIENT_ID, "faults-" + mode);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS, REQUEST_TIMEOUT_MS);
        Map<Integer, FaultyProxy.Stats> before = stats();
        long startNs = System.nanoTime();
        RecordStream stream;
        double retries;
        try (Producer<String, String> producer = mode.newProducer(config)) {
            stream = new RecordStream(producer, topic, RECORDS_PER_SECOND, MIN_RECORDS, 20 * MIN_RECORDS).start();
            awaitAcknowledged(stream, PROGRESS_PER_PHASE);

            long cutsBefore = total(FaultyProxy.Stats::cuts);
            proxies.values().forEach(proxy -> proxy.cutRequests(CUT_PROBABILITY));
            long ackedBeforeCuts = stream.acked();
            await("at least " + CUTS_PER_PHASE + " requests cut and records flowing").atMost(PHASE_TIMEOUT)
                    .until(() -> total(FaultyProxy.Stats::cuts) >= cutsBefore + CUTS_PER_PHASE
                            && stream.acked() >= ackedBeforeCuts + PROGRESS_PER_PHASE);
            proxies.values().forEach(proxy -> proxy.cutRequests(0));

            FaultyProxy slow = proxies.get(random.nextInt(BROKERS));
            long abandonedBefore = slow.stats().abandonedByClient();
            slow.delayResponses(REQUEST_TIMEOUT_MS + 1_000);
            await("the producer to give up on slow responses twice").atMost(PHASE_TIMEOUT)
                    .until(() -> slow.stats().abandonedByClient() >= abandonedBefore + 2);
            slow.delayResponses(0);
            awaitAcknowledged(stream, stream.acked() + PROGRESS_PER_PHASE);

            FaultyProxy hole = proxies.get(random.nextInt(BROKERS));
            long abandonedInHole = hole.stats().abandonedByClient();
            hole.blackhole(true);
            await("the producer to give up on blackholed connections twice").atMost(PHASE_TIMEOUT)
                    .until(() -> hole.stats().abandonedByClient() >= abandonedInHole + 2);
            hole.blackhole(false);
            awaitAcknowledged(stream, stream.acked() + PROGRESS_PER_PHASE);

            stream.finish();
            stream.awaitCompletion(PHASE_TIMEOUT);
            retries = producer.metrics().get("record-retry-total").value();
        }
        DeliveryReport report = DeliveryReport.of("Faults, " + mode, stream, kafka.consumeAll(topic, PHASE_TIMEOUT)).log();
        Map<Integer, FaultyProxy.Stats> proxyStats = difference(before, stats());
        log.info("Faults, {}: seed {}, took {} s, batches retried {}, proxies {}", mode, SEED,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNs), (long) retries, proxyStats);
        assertThat(proxyStats).as("the producer reached every broker (each leads partitions) through its proxy")
                .allSatisfy((id, stats) -> assertThat(stats.accepted()).isPositive());
        return report;
    }

    /** A producer configuration that bootstraps through the proxies only. */
    private static Map<String, Object> proxiedConfig() {
        Map<String, Object> config = TestProducers.config(kafka);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS, proxies.values().stream()
                .map(proxy -> "127.0.0.1:" + proxy.port()).collect(Collectors.joining(",")));
        config.put(ProducerConfig.ACKS, "all");
        return config;
    }

    private static long total(ToLongFunction<FaultyProxy.Stats> counter) {
        return proxies.values().stream().mapToLong(proxy -> counter.applyAsLong(proxy.stats())).sum();
    }

    private static Map<Integer, FaultyProxy.Stats> stats() {
        Map<Integer, FaultyProxy.Stats> stats = new TreeMap<>();
        proxies.forEach((id, proxy) -> stats.put(id, proxy.stats()));
        return stats;
    }

    private static Map<Integer, FaultyProxy.Stats> difference(Map<Integer, FaultyProxy.Stats> before,
                                                              Map<Integer, FaultyProxy.Stats> after) {
        Map<Integer, FaultyProxy.Stats> delta = new TreeMap<>();
        after.forEach((id, a) -> {
            FaultyProxy.Stats b = before.get(id);
            delta.put(id, new FaultyProxy.Stats(a.accepted() - b.accepted(), a.rejected() - b.rejected(),
                    a.upstreamFailures() - b.upstreamFailures(), a.cuts() - b.cuts(),
                    a.cutsAfterWholeRequest() - b.cutsAfterWholeRequest(), a.delayedChunks() - b.delayedChunks(),
                    a.droppedBytes() - b.droppedBytes(), a.abandonedByClient() - b.abandonedByClient(),
                    a.responseCuts() - b.responseCuts()));
        });
        return delta;
    }

    private static void awaitAcknowledged(RecordStream stream, long target) {
        await("at least " + target + " records acknowledged on " + stream.topic())
                .atMost(PHASE_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> stream.acked() >= target);
    }
}
