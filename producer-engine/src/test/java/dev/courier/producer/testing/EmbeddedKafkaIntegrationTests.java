package dev.courier.producer.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import dev.courier.test.EmbeddedKafka;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Checks the harness itself with the official Kafka clients, before any Courier code relies on it. */
class EmbeddedKafkaIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void roundTripsKeysValuesHeadersAndTimestampsThroughTheSharedBroker() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.shared();
        String topic = kafka.uniqueTopic("round-trip");
        kafka.createTopic(topic, 2, 1);

        long timestamp = 1_700_000_000_000L;
        try (KafkaProducer<byte[], byte[]> producer = officialProducer(kafka.bootstrapServers())) {
            for (int i = 0; i < 4; i++) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, i % 2, timestamp + i,
                        bytes("key-" + i), bytes("value-" + i),
                        List.of(new RecordHeader("trace", bytes("t-" + i))));
                producer.send(record).get(30, TimeUnit.SECONDS);
            }
        }

        List<ConsumerRecord<byte[], byte[]>> records = kafka.consume(topic, 4, TIMEOUT);

        assertThat(records).hasSize(4);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            int i = Integer.parseInt(text(record.key()).substring("key-".length()));
            assertThat(record.partition()).isEqualTo(i % 2);
            assertThat(text(record.value())).isEqualTo("value-" + i);
            assertThat(record.timestamp()).isEqualTo(timestamp + i);
            assertThat(record.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
            assertThat(record.headers().toArray()).hasSize(1);
            assertThat(text(record.headers().lastHeader("trace").value())).isEqualTo("t-" + i);
        }
    }

    @Test
    void createTopicAppliesTopicConfigs() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.shared();
        String topic = kafka.uniqueTopic("configured");

        kafka.createTopic(topic, 1, 1, Map.of("max.message.bytes", "12345"));

        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = kafka.admin().describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        assertThat(config.get("max.message.bytes").value()).isEqualTo("12345");
    }

    @Test
    void uniqueTopicNamesNeverRepeat() {
        EmbeddedKafka kafka = EmbeddedKafka.shared();

        assertThat(kafka.uniqueTopic("same")).isNotEqualTo(kafka.uniqueTopic("same"));
    }

    @Test
    void consumeFailsListingWhatItReadWhenTooFewRecordsArrive() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.shared();
        String topic = kafka.uniqueTopic("too-few");
        kafka.createTopic(topic, 1, 1);
        try (KafkaProducer<byte[], byte[]> producer = officialProducer(kafka.bootstrapServers())) {
            producer.send(new ProducerRecord<>(topic, bytes("only-key"), bytes("only-value"))).get(30, TimeUnit.SECONDS);
        }

        assertThatThrownBy(() -> kafka.consume(topic, 2, Duration.ofSeconds(2)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected 2 records")
                .hasMessageContaining("read 1")
                .hasMessageContaining("key=only-key value=only-value");
    }

    @Test
    void aThreeBrokerClusterKeepsATopicAvailableWhileItsLeaderRestarts() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(3)) {
            String topic = kafka.uniqueTopic("failover");
            kafka.createTopic(topic, 1, 3);

            TopicDescription description = kafka.admin().describeTopics(List.of(topic)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(topic);
            assertThat(description.partitions().get(0).replicas()).hasSize(3);
            assertThat(description.partitions().get(0).isr()).hasSize(3);

            List<RecordMetadata> written = new ArrayList<>();
            try (KafkaProducer<byte[], byte[]> producer = officialProducer(kafka.bootstrapServers())) {
                written.add(producer.send(new ProducerRecord<>(topic, bytes("k0"), bytes("before"))).get(30, TimeUnit.SECONDS));

                int oldLeader = kafka.leaderOf(topic, 0);
                kafka.stopBroker(oldLeader);
                kafka.awaitLeaders(topic, 1, 3);
                assertThat(kafka.leaderOf(topic, 0)).isNotEqualTo(oldLeader);
                written.add(producer.send(new ProducerRecord<>(topic, bytes("k1"), bytes("during"))).get(30, TimeUnit.SECONDS));

                kafka.startBroker(oldLeader);
                kafka.awaitLeaders(topic, 1, 3);
                written.add(producer.send(new ProducerRecord<>(topic, bytes("k2"), bytes("after"))).get(30, TimeUnit.SECONDS));
            }

            List<ConsumerRecord<byte[], byte[]>> records = kafka.consume(topic, 3, TIMEOUT);
            assertThat(records).extracting(r -> text(r.value())).containsExactly("before", "during", "after");
            assertThat(written).extracting(RecordMetadata::offset).containsExactly(0L, 1L, 2L);
        }
    }

    private static KafkaProducer<byte[], byte[]> officialProducer(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
