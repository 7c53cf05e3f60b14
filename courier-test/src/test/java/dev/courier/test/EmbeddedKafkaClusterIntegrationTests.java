package dev.courier.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The extension as a user meets it: a one-broker cluster with declared topics, injected, and read back. */
@EmbeddedKafkaCluster(topics = {"orders", "payments"}, partitions = 3)
class EmbeddedKafkaClusterIntegrationTests {

    private static EmbeddedKafka fromBeforeAll;

    @BeforeAll
    static void injectsIntoLifecycleMethods(EmbeddedKafka kafka) {
        fromBeforeAll = kafka;
    }

    @Test
    void declaredTopicsExistWithTheDeclaredPartitions(EmbeddedKafka kafka) throws Exception {
        Map<String, TopicDescription> topics = kafka.admin().describeTopics(Set.of("orders", "payments"))
                .allTopicNames().get(30, TimeUnit.SECONDS);

        assertThat(topics).containsOnlyKeys("orders", "payments");
        assertThat(topics.values()).allSatisfy(topic -> assertThat(topic.partitions()).hasSize(3));
        assertThat(kafka.brokerIds()).containsExactly(0);
    }

    @Test
    void theClusterIsTheJvmsSharedOneAndTheSameForEveryParameter(EmbeddedKafka kafka,
                                                                  @BootstrapServers String bootstrapServers) {
        assertThat(kafka).isSameAs(fromBeforeAll).isSameAs(EmbeddedKafka.shared());
        assertThat(bootstrapServers).isEqualTo(kafka.bootstrapServers()).startsWith("localhost:");
    }

    @Test
    void theReaderReturnsKeysValuesHeadersPartitionsAndTimestamps(RecordReader reader,
                                                                  @BootstrapServers String bootstrapServers)
            throws Exception {
        long timestamp = 1_700_000_000_000L;
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrapServers)) {
            producer.send(new ProducerRecord<>("orders", 2, timestamp, bytes("order-1"), bytes("{\"total\":42}"),
                    List.of(new RecordHeader("source", bytes("web")), new RecordHeader("source", bytes("retry")))))
                    .get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<byte[], byte[]>("orders", 0, timestamp + 1, null, null)).get(30, TimeUnit.SECONDS);
        }

        List<WrittenRecord> records = reader.awaitRecords("orders", 2);

        assertThat(records).hasSize(2);
        WrittenRecord order = records.stream().filter(r -> r.partition() == 2).findFirst().orElseThrow();
        assertThat(order.topic()).isEqualTo("orders");
        assertThat(order.keyAsString()).isEqualTo("order-1");
        assertThat(order.valueAsString()).isEqualTo("{\"total\":42}");
        assertThat(order.timestamp()).isEqualTo(timestamp);
        assertThat(order.offset()).isZero();
        assertThat(order.headers()).extracting(WrittenRecord.RecordHeader::valueAsString).containsExactly("web", "retry");
        assertThat(order.header("source")).isEqualTo("retry");
        assertThat(order.header("missing")).isNull();
        WrittenRecord tombstone = records.stream().filter(r -> r.partition() == 0).findFirst().orElseThrow();
        assertThat(tombstone.key()).isNull();
        assertThat(tombstone.valueAsString()).isNull();
        assertThat(tombstone.headers()).isEmpty();
        assertThat(reader.readAll("orders")).hasSize(2);
    }

    @Test
    void theReaderFailsListingWhatItReadWhenTooFewRecordsArrive(RecordReader reader, EmbeddedKafka kafka)
            throws Exception {
        String topic = kafka.uniqueTopic("short");
        kafka.createTopic(topic, 1, 1);
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka.bootstrapServers())) {
            producer.send(new ProducerRecord<>(topic, bytes("k"), bytes("only-one"))).get(30, TimeUnit.SECONDS);
        }

        assertThatThrownBy(() -> reader.awaitRecords(topic, 2, Duration.ofMillis(500)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected 2 records from " + topic)
                .hasMessageContaining("value=only-one");
    }

    @Test
    void aTopicDeclaredAgainWithOtherPartitionsIsAnError(EmbeddedKafka kafka) {
        EmbeddedKafkaCluster conflicting = Conflicting.class.getAnnotation(EmbeddedKafkaCluster.class);

        assertThatThrownBy(() -> EmbeddedKafkaExtension.cluster(conflicting))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("orders exists on the shared embedded cluster with 3 partitions")
                .hasMessageContaining("declares 5");
    }

    @Test
    void aTopicDeclaredAgainWithTheSamePartitionsIsReused(EmbeddedKafka kafka) {
        EmbeddedKafkaCluster same = Same.class.getAnnotation(EmbeddedKafkaCluster.class);

        assertThat(EmbeddedKafkaExtension.cluster(same)).isSameAs(kafka);
    }

    @Nested
    class WithoutAnAnnotationOfItsOwn {

        @Test
        void usesTheEnclosingClassesCluster(EmbeddedKafka kafka) {
            assertThat(kafka).isSameAs(fromBeforeAll);
        }
    }

    @EmbeddedKafkaCluster(topics = "orders", partitions = 5)
    static class Conflicting {
    }

    @EmbeddedKafkaCluster(topics = "orders", partitions = 3)
    static class Same {
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
