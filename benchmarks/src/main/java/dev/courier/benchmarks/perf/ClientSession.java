package dev.courier.benchmarks.perf;

import dev.courier.producer.CourierProducer;
import dev.courier.producer.serialization.ByteArraySerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * One producer of either kind, opened for one round, with records prepared ahead so that the round's
 * caller-thread allocation is the producer's own. Used by the round's caller thread only.
 */
abstract sealed class ClientSession implements AutoCloseable {

    final String clientId;

    ClientSession(String clientId) {
        this.clientId = clientId;
    }

    static ClientSession open(ClientKind kind, String bootstrapServers, Map<String, Object> settings, String clientId) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put("bootstrap.servers", bootstrapServers);
        config.put("client.id", clientId);
        return kind == ClientKind.COURIER ? new Courier(config, clientId) : new Kafka(config, clientId);
    }

    /** Names of the producer's own threads (prefixes), metered along with the caller. */
    abstract List<String> threadNamePrefixes();

    /** Fetches the topic's metadata so that no round starts with a metadata wait. */
    abstract int partitionsFor(String topic);

    /** Builds the records for the round (outside the measured window). */
    abstract void prepare(String topic, byte[][] values);

    /** Sends prepared record {@code index}. */
    abstract void send(int index, Ack ack);

    /** The producer's batch-size-avg and records-per-request-avg, for -Dbench.batches=true. */
    abstract String batchStats();

    @Override
    public abstract void close();

    static final class Courier extends ClientSession {
        private final CourierProducer<byte[], byte[]> producer;
        private dev.courier.producer.ProducerRecord<byte[], byte[]>[] records;

        Courier(Map<String, Object> config, String clientId) {
            super(clientId);
            this.producer = new CourierProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        List<String> threadNamePrefixes() {
            return List.of("courier-producer-network-" + clientId, "courier-producer-callbacks-" + clientId);
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
        @SuppressWarnings("unchecked")
        void prepare(String topic, byte[][] values) {
            records = new dev.courier.producer.ProducerRecord[values.length];
            for (int i = 0; i < values.length; i++) {
                records[i] = new dev.courier.producer.ProducerRecord<>(topic, values[i]);
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

    static final class Kafka extends ClientSession {
        private final KafkaProducer<byte[], byte[]> producer;
        private org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>[] records;

        Kafka(Map<String, Object> config, String clientId) {
            super(clientId);
            this.producer = new KafkaProducer<>(config, new org.apache.kafka.common.serialization.ByteArraySerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer());
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
