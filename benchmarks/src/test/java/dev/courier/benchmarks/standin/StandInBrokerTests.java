package dev.courier.benchmarks.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.producer.CourierProducer;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.serialization.ByteArraySerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StandInBrokerTests {

    private StandInBroker standIn;

    @BeforeEach
    void start() throws Exception {
        standIn = StandInBroker.start(3);
    }

    @AfterEach
    void stop() {
        standIn.close();
    }

    @Test
    void acknowledgesCourierRecordsWithOffsetsCountingUpPerPartition() throws Exception {
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try (CourierProducer<byte[], byte[]> producer = new CourierProducer<>(config("1", false),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 300; i++) {
                futures.add(producer.send(new dev.courier.producer.ProducerRecord<>("orders", i % 3, null,
                        new byte[] {(byte) i})));
            }
            producer.flush();
        }
        for (int i = 0; i < 300; i++) {
            RecordMetadata metadata = futures.get(i).get(10, TimeUnit.SECONDS);
            assertThat(metadata.partition()).isEqualTo(i % 3);
            assertThat(metadata.offset()).isEqualTo(i / 3);
        }
        assertThat(standIn.nextOffset("orders", 0)).isEqualTo(100);
    }

    @Test
    void acknowledgesAnIdempotentCourierProducer() throws Exception {
        try (CourierProducer<byte[], byte[]> producer = new CourierProducer<>(config("all", true),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            RecordMetadata first = producer.send(new dev.courier.producer.ProducerRecord<>("ids", 1, null,
                    new byte[] {1})).get(10, TimeUnit.SECONDS);
            RecordMetadata second = producer.send(new dev.courier.producer.ProducerRecord<>("ids", 1, null,
                    new byte[] {2})).get(10, TimeUnit.SECONDS);
            assertThat(first.offset()).isZero();
            assertThat(second.offset()).isEqualTo(1);
        }
    }

    @Test
    void acknowledgesAnIdempotentKafkaClientsProducerWithAcksAll() throws Exception {
        List<Future<org.apache.kafka.clients.producer.RecordMetadata>> futures = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config("all", true),
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            assertThat(producer.partitionsFor("events")).hasSize(3);
            for (int i = 0; i < 300; i++) {
                futures.add(producer.send(new ProducerRecord<>("events", i % 3, null, new byte[] {(byte) i})));
            }
            producer.flush();
        }
        for (int i = 0; i < 300; i++) {
            org.apache.kafka.clients.producer.RecordMetadata metadata = futures.get(i).get(10, TimeUnit.SECONDS);
            assertThat(metadata.offset()).isEqualTo(i / 3);
        }
        assertThat(standIn.batchesAcknowledged()).isPositive();
    }

    @Test
    void answersNothingToAcksZeroButStillCountsTheRecords() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config("0", false),
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (int i = 0; i < 90; i++) {
                producer.send(new ProducerRecord<>("quiet", i % 3, null, new byte[10]));
            }
            producer.flush();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(standIn.nextOffset("quiet", 2)).isEqualTo(30));
    }

    private Map<String, Object> config(String acks, boolean idempotence) {
        return Map.of("bootstrap.servers", standIn.bootstrapServers(), "acks", acks, "linger.ms", "1",
                "enable.idempotence", String.valueOf(idempotence));
    }
}
