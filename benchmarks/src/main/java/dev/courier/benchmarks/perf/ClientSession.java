package dev.courier.benchmarks.perf;

import dev.courier.producer.CourierProducer;
import dev.courier.producer.serialization.ByteArraySerializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;

/** One producer of either kind, kafka-clients or Courier, opened for one round of the perf tool. */
abstract sealed class ClientSession extends MeasuredSession {

    ClientSession(String clientId) {
        super(clientId);
    }

    static ClientSession open(ClientKind kind, String bootstrapServers, Map<String, Object> settings, String clientId) {
        Map<String, Object> config = clientConfig(settings, bootstrapServers, clientId);
        return kind == ClientKind.COURIER ? new Courier(config, clientId) : new Kafka(config, clientId);
    }

    /** The producer's batch-size-avg and records-per-request-avg, for -Dbench.batches=true. */
    abstract String batchStats();

    static final class Courier extends ClientSession {
        private final CourierProducer<byte[], byte[]> producer;
        private dev.courier.producer.ProducerRecord<byte[], byte[]>[] records;

        Courier(Map<String, Object> config, String clientId) {
            super(clientId);
            this.producer = new CourierProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        }

        /** The producer itself, for sessions that drive more of it than sends (transactions). */
        CourierProducer<byte[], byte[]> producer() {
            return producer;
        }

        @Override
        List<String> threadNamePrefixes() {
            return courierThreads(clientId);
        }

        @Override
        String batchStats() {
            return String.format(java.util.Locale.ROOT, "batch-size-avg %.0f, records-per-request-avg %.1f",
                    producer.metrics().get("batch-size-avg").value(),
                    producer.metrics().get("records-per-request-avg").value());
        }

        @Override
        int partitionsFor(String topic) {
            return producer.partitionsFor(topic).size();
        }

        @Override
        void prepare(String topic, byte[][] values) {
            records = courierRecords(topic, values);
        }

        @Override
        void send(int index, Ack ack) {
            producer.send(records[index], ack);
            records[index] = null;
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(30));
        }
    }

    static final class Kafka extends ClientSession {
        private final KafkaProducer<byte[], byte[]> producer;
        private org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>[] records;

        Kafka(Map<String, Object> config, String clientId) {
            super(clientId);
            this.producer = new KafkaProducer<>(config, new org.apache.kafka.common.serialization.ByteArraySerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer());
        }

        /** The producer itself, for sessions that drive more of it than sends (transactions). */
        KafkaProducer<byte[], byte[]> producer() {
            return producer;
        }

        @Override
        List<String> threadNamePrefixes() {
            return List.of("kafka-producer-network-thread | " + clientId);
        }

        @Override
        String batchStats() {
            double batchSize = 0;
            double recordsPerRequest = 0;
            for (var entry : producer.metrics().entrySet()) {
                if (!entry.getKey().group().equals("producer-metrics")) {
                    continue;
                }
                if (entry.getKey().name().equals("batch-size-avg")) {
                    batchSize = ((Number) entry.getValue().metricValue()).doubleValue();
                } else if (entry.getKey().name().equals("records-per-request-avg")) {
                    recordsPerRequest = ((Number) entry.getValue().metricValue()).doubleValue();
                }
            }
            return String.format(java.util.Locale.ROOT, "batch-size-avg %.0f, records-per-request-avg %.1f",
                    batchSize, recordsPerRequest);
        }

        @Override
        int partitionsFor(String topic) {
            return producer.partitionsFor(topic).size();
        }

        @Override
        @SuppressWarnings("unchecked")
        void prepare(String topic, byte[][] values) {
            records = new org.apache.kafka.clients.producer.ProducerRecord[values.length];
            for (int i = 0; i < values.length; i++) {
                records[i] = new org.apache.kafka.clients.producer.ProducerRecord<>(topic, values[i]);
            }
        }

        @Override
        void send(int index, Ack ack) {
            producer.send(records[index], ack);
            records[index] = null;
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(30));
        }
    }
}
