package dev.courier.producer.demo;

import dev.courier.producer.CourierProducer;
import dev.courier.producer.ProducerRecord;
import dev.courier.producer.serialization.ByteArraySerializer;
import dev.courier.producer.testing.EmbeddedKafka;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * A first side-by-side throughput figure: Courier and the official producer send the same records
 * with the same settings to the same in-process broker, in alternating rounds so that drift hits both.
 * Not a benchmark suite (that is the benchmarks module's job); a quick, honest ratio.
 *
 * <p>Arguments: {@code [records per round] [record size] [rounds per client]} (defaults 1000000, 100, 2).
 * Settings: acks=1, linger.ms=5, batch.size 16384, no compression, one topic of 6 partitions.
 */
public final class ThroughputComparison {

    private ThroughputComparison() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        byte[] value = new byte[size];
        for (int i = 0; i < size; i++) {
            value[i] = (byte) ('a' + i % 26);
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start(1)) {
            Map<String, Object> config = new HashMap<>();
            config.put("bootstrap.servers", kafka.bootstrapServers());
            config.put("acks", "1");
            config.put("linger.ms", "5");
            config.put("batch.size", "16384");
            config.put("enable.idempotence", "false");
            double[] courier = new double[rounds];
            double[] official = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                String topicA = kafka.uniqueTopic("throughput-official");
                String topicB = kafka.uniqueTopic("throughput-courier");
                kafka.createTopic(topicA, 6, 1);
                kafka.createTopic(topicB, 6, 1);
                official[round] = runOfficial(config, topicA, records, value);
                courier[round] = runCourier(config, topicB, records, value);
                out.printf("round %d: kafka-clients %,.0f records/s, Courier %,.0f records/s, ratio %.2f%n",
                        round + 1, official[round], courier[round], courier[round] / official[round]);
            }
            double bestOfficial = max(official);
            double bestCourier = max(courier);
            out.printf("best of %d: kafka-clients %,.0f records/s, Courier %,.0f records/s, ratio Courier/kafka-clients %.2f%n",
                    rounds, bestOfficial, bestCourier, bestCourier / bestOfficial);
        }
        System.exit(0);
    }

    private static double max(double[] values) {
        double max = 0;
        for (double v : values) {
            max = Math.max(max, v);
        }
        return max;
    }

    private static double runOfficial(Map<String, Object> config, String topic, int records, byte[] value)
            throws InterruptedException {
        CountDownLatch done = new CountDownLatch(records);
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config,
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, value), (m, e) -> {
                    if (e != null) {
                        errors.incrementAndGet();
                    }
                    done.countDown();
                });
            }
            done.await(5, TimeUnit.MINUTES);
        }
        return finish(start, records, errors, "kafka-clients");
    }

    private static double runCourier(Map<String, Object> config, String topic, int records, byte[] value)
            throws InterruptedException {
        CountDownLatch done = new CountDownLatch(records);
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        try (CourierProducer<byte[], byte[]> producer = new CourierProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, value), (m, e) -> {
                    if (e != null) {
                        errors.incrementAndGet();
                    }
                    done.countDown();
                });
            }
            done.await(5, TimeUnit.MINUTES);
        }
        return finish(start, records, errors, "Courier");
    }

    private static double finish(long startNs, int records, AtomicLong errors, String who) {
        double seconds = (System.nanoTime() - startNs) / 1e9;
        if (errors.get() > 0) {
            throw new IllegalStateException(who + ": " + errors.get() + " records failed");
        }
        return records / seconds;
    }
}
