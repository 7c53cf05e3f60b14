package dev.courier.benchmarks.perf;

import dev.courier.producer.CourierProducer;
import dev.courier.producer.serialization.ByteArraySerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * A transactional producer of either kind, opened (and {@code initTransactions()}-ed) for one round of the
 * transactions mode ({@link TransactionPerf}): the same settings for both, plus {@code transactional.id} and
 * {@code transaction.timeout.ms}.
 */
abstract sealed class TransactionSession extends MeasuredSession {

    TransactionSession(String clientId) {
        super(clientId);
    }

    static TransactionSession open(ClientKind kind, String bootstrapServers, Map<String, Object> settings,
                                   String clientId, int transactionTimeoutMs) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put("bootstrap.servers", bootstrapServers);
        config.put("client.id", clientId);
        config.put("transactional.id", clientId);
        config.put("transaction.timeout.ms", String.valueOf(transactionTimeoutMs));
        TransactionSession session = kind == ClientKind.COURIER ? new Courier(config, clientId)
                : new Kafka(config, clientId);
        session.initTransactions();
        return session;
    }

    abstract void initTransactions();

    abstract void beginTransaction();

    /** Flushes and commits; returns once every record of the transaction is acknowledged and the commit done. */
    abstract void commitTransaction();

    static final class Courier extends TransactionSession {
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
        void initTransactions() {
            producer.initTransactions();
        }

        @Override
        void beginTransaction() {
            producer.beginTransaction();
        }

        @Override
        void commitTransaction() {
            producer.commitTransaction();
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(30));
        }
    }

    static final class Kafka extends TransactionSession {
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
        void initTransactions() {
            producer.initTransactions();
        }

        @Override
        void beginTransaction() {
            producer.beginTransaction();
        }

        @Override
        void commitTransaction() {
            producer.commitTransaction();
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(30));
        }
    }
}
