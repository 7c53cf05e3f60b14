package dev.courier.producer.demo;

import dev.courier.producer.CourierProducer;
import dev.courier.producer.ProducerConfig;
import dev.courier.producer.ProducerRecord;
import dev.courier.producer.Producer;
import dev.courier.producer.serialization.StringSerializer;
import dev.courier.test.EmbeddedKafka;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The README's first command: starts a real Kafka broker in this JVM, sends records with Courier,
 * reads them back with the official consumer, and prints a delivery report.
 *
 * <p>Arguments: {@code [records]} (default 100000).
 */
public final class CourierDemo {

    private CourierDemo() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        out.println("Starting an embedded Apache Kafka broker (KRaft) ...");
        int status = 0;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(1)) {
            String topic = "courier-demo";
            kafka.createTopic(topic, 6, 1);
            out.printf("Broker up at %s; sending %,d records to %s (6 partitions, acks=all, linger.ms=5)%n",
                    kafka.bootstrapServers(), records, topic);
            AtomicLong acknowledged = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            Map<Integer, AtomicLong> perPartition = new TreeMap<>();
            for (int p = 0; p < 6; p++) {
                perPartition.put(p, new AtomicLong());
            }
            long start = System.nanoTime();
            Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                    ProducerConfig.ACKS, "all", ProducerConfig.LINGER_MS, 5);
            try (Producer<String, String> producer =
                         new CourierProducer<>(config, new StringSerializer(), new StringSerializer())) {
                long lastReport = System.nanoTime();
                for (int i = 0; i < records; i++) {
                    producer.send(new ProducerRecord<>(topic, "key-" + (i % 1000), "event-" + i), (metadata, error) -> {
                        if (error == null) {
                            acknowledged.incrementAndGet();
                            perPartition.get(metadata.partition()).incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    });
                    if (System.nanoTime() - lastReport > 1_000_000_000L) {
                        lastReport = System.nanoTime();
                        out.printf("  ... sent %,d, acknowledged %,d, failed %,d%n", i + 1, acknowledged.get(), failed.get());
                    }
                }
                producer.flush();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            int readBack = kafka.consume(topic, records, Duration.ofSeconds(60)).size();
            out.println();
            out.println("Delivery report");
            out.printf("  sent          %,d%n", records);
            out.printf("  acknowledged  %,d%n", acknowledged.get());
            out.printf("  failed        %,d%n", failed.get());
            out.printf("  throughput    %,.0f records/s (%.2f s)%n", records / seconds, seconds);
            out.printf("  read back     %,d by the official KafkaConsumer%n", readBack);
            perPartition.forEach((p, n) -> out.printf("  partition %d   %,d%n", p, n.get()));
            if (acknowledged.get() != records || readBack != records) {
                out.println("Not every record made it: see above.");
                status = 1;
            }
        }
        System.exit(status);
    }

}
