package dev.courier.benchmarks.perf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.CourierProducer;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.serialization.ByteArraySerializer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Both clients through the stand-in's TLS listener with the settings the perf tool's TLS cells give them. */
class StandInTlsTests {

    private static BenchBroker standIn;

    @BeforeAll
    static void start() throws Exception {
        standIn = BenchBroker.standInTls(3);
    }

    @AfterAll
    static void stop() {
        standIn.close();
    }

    @Test
    void bootstrapsByTheNameTheCertificateCarries() {
        assertThat(standIn.bootstrapServers()).startsWith("localhost:");
        assertThat(standIn.clientConnectionSettings()).containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.endpoint.identification.algorithm", "https");
    }

    @Test
    void acknowledgesCourierOverTlsInRecordsLargerThanOneTlsRecord() throws Exception {
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try (CourierProducer<byte[], byte[]> producer = new CourierProducer<>(config(), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < 300; i++) {
                // 40 KiB values: every request spans several TLS records
                futures.add(producer.send(new dev.courier.producer.ProducerRecord<>("tls-courier", i % 3, null,
                        new byte[i % 10 == 0 ? 40 * 1024 : 100])));
            }
            producer.flush();
        }
        for (int i = 0; i < 300; i++) {
            RecordMetadata metadata = futures.get(i).get(10, TimeUnit.SECONDS);
            assertThat(metadata.partition()).isEqualTo(i % 3);
            assertThat(metadata.offset()).isEqualTo(i / 3);
        }
    }

    @Test
    void acknowledgesKafkaClientsOverTls() throws Exception {
        List<Future<org.apache.kafka.clients.producer.RecordMetadata>> futures = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config(),
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (int i = 0; i < 300; i++) {
                futures.add(producer.send(new ProducerRecord<>("tls-kafka", i % 3, null, new byte[1024])));
            }
            producer.flush();
        }
        for (int i = 0; i < 300; i++) {
            assertThat(futures.get(i).get(10, TimeUnit.SECONDS).offset()).isEqualTo(i / 3);
        }
    }

    private static Map<String, Object> config() {
        Map<String, Object> config = new HashMap<>(standIn.clientConnectionSettings());
        config.put("bootstrap.servers", standIn.bootstrapServers());
        config.put("acks", "all");
        config.put("linger.ms", "1");
        config.put("enable.idempotence", "true");
        return config;
    }
}
