package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.serialization.StringSerializer;
import dev.courier.test.EmbeddedKafka;
import dev.courier.producer.testing.FaultyProxy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KIP-794 measured: three brokers behind proxies, one of them answering 400 ms late, and a paced stream
 * of unkeyed records (10,000 a second, 200 bytes each) to a topic with two partitions per broker. Reports the share of records that went to
 * the slow broker's partitions with the adaptive partitioner off, on, and on with an availability timeout.
 * Shares depend on the machine's speed, so they are logged, not asserted; delivery is.
 */
class AdaptivePartitioningIntegrationTests {

    private static final Logger log = LoggerFactory.getLogger(AdaptivePartitioningIntegrationTests.class);
    private static final int BROKERS = 3;
    private static final int PARTITIONS = 6;
    private static final int SLOW_BROKER = 1;
    private static final int RECORDS = 30_000;
    private static final int RECORDS_PER_SECOND = 10_000;
    private static final int DELAY_MS = 400;
    private static final Map<Integer, FaultyProxy> proxies = new TreeMap<>();
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startClusterBehindProxies() {
        Map<Integer, Integer> ports = new TreeMap<>();
        for (int id = 0; id < BROKERS; id++) {
            FaultyProxy proxy = new FaultyProxy("broker-" + id, id);
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

    @Test
    void unkeyedRecordsAvoidASlowBrokerWhenAdaptive() throws Exception {
        proxies.get(SLOW_BROKER).delayResponses(DELAY_MS);
        try {
            double off = shareOnSlowBroker(Map.of(ProducerConfig.PARTITIONER_ADAPTIVE_PARTITIONING_ENABLE, false));
            double adaptive = shareOnSlowBroker(Map.of());
            double withTimeout = shareOnSlowBroker(Map.of(ProducerConfig.PARTITIONER_AVAILABILITY_TIMEOUT_MS, 100));
            log.info("Share of {} unkeyed records on the slow broker's partitions: adaptive off {}, adaptive on {}, "
                    + "adaptive with availability timeout 100 ms {} (uniform would be {})", RECORDS,
                    percent(off), percent(adaptive), percent(withTimeout), percent(1.0 / BROKERS));
        } finally {
            proxies.get(SLOW_BROKER).delayResponses(0);
        }
    }

    /** Streams unkeyed records, checks they all arrived, and returns the share led by the slow broker. */
    private static double shareOnSlowBroker(Map<String, Object> overrides) throws Exception {
        String topic = kafka.uniqueTopic("adaptive");
        kafka.createTopic(topic, PARTITIONS, 1);
        kafka.electPreferredLeaders(topic, PARTITIONS, 1);
        Map<String, Object> config = TestProducers.config(kafka);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS, proxies.values().stream()
                .map(proxy -> "127.0.0.1:" + proxy.port()).collect(Collectors.joining(",")));
        config.putAll(overrides);
        String value = "x".repeat(200);
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>(RECORDS);
        try (Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "warm-up")).get(30, TimeUnit.SECONDS);
            long startNs = System.nanoTime();
            for (int i = 0; i < RECORDS; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, value)));
                if (i % 100 == 99) {
                    // Paced at RECORDS_PER_SECOND: a steady stream, which the fast brokers keep up with and the
                    // slow one does not. Pacing only shapes the load; no outcome depends on it.
                    long dueNs = startNs + (i + 1) * 1_000_000_000L / RECORDS_PER_SECOND;
                    LockSupport.parkNanos(dueNs - System.nanoTime());
                }
            }
            CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).get(120, TimeUnit.SECONDS);
        }
        int[] leaders = new int[PARTITIONS];
        for (int p = 0; p < PARTITIONS; p++) {
            leaders[p] = kafka.leaderOf(topic, p);
        }
        long onSlow = futures.stream().filter(f -> leaders[f.join().partition()] == SLOW_BROKER).count();
        assertThat(kafka.consumeAll(topic, Duration.ofSeconds(60))).hasSize(RECORDS + 1);
        return (double) onSlow / RECORDS;
    }

    private static String percent(double share) {
        return String.format("%.1f %%", share * 100);
    }
}
