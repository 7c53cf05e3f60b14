package dev.courier.test;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import static dev.courier.test.EmbeddedKafkaClusterIntegrationTests.bytes;
import static dev.courier.test.EmbeddedKafkaClusterIntegrationTests.producer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** A three-broker cluster: topics are replicated to every broker by default and survive a broker stopping. */
@EmbeddedKafkaCluster(brokers = 3, topics = "replicated", partitions = 2,
        brokerProperties = "log.message.timestamp.type=LogAppendTime")
class ThreeBrokerClusterIntegrationTests {

    @Test
    void declaredTopicsAreReplicatedOnEveryBroker(EmbeddedKafka kafka) throws Exception {
        TopicDescription topic = kafka.admin().describeTopics(Set.of("replicated")).allTopicNames()
                .get(30, TimeUnit.SECONDS).get("replicated");

        assertThat(kafka.brokerIds()).containsExactly(0, 1, 2);
        assertThat(kafka.bootstrapServers().split(",")).hasSize(3);
        assertThat(topic.partitions()).hasSize(2)
                .allSatisfy(partition -> assertThat(partition.replicas()).hasSize(3));
        assertThat(kafka).isNotSameAs(EmbeddedKafka.shared())
                .isSameAs(EmbeddedKafka.shared(3, Map.of("log.message.timestamp.type", "LogAppendTime")));
    }

    @Test
    void recordsWrittenWithAcksAllAreReadBackWithTheBrokersTimestamps(RecordReader reader,
                                                                        @BootstrapServers String bootstrapServers)
            throws Exception {
        long clientTimestamp = 1_000L;
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrapServers)) {
            for (int p = 0; p < 2; p++) {
                producer.send(new ProducerRecord<>("replicated", p, clientTimestamp, bytes("key-" + p),
                        bytes("value-" + p))).get(30, TimeUnit.SECONDS);
            }
        }

        assertThat(reader.awaitRecords("replicated", 2))
                .extracting(WrittenRecord::partition, WrittenRecord::valueAsString)
                .containsExactlyInAnyOrder(tuple(0, "value-0"),
                        tuple(1, "value-1"));
        // LogAppendTime: the brokerProperties reached the brokers.
        assertThat(reader.readAll("replicated")).allSatisfy(r -> assertThat(r.timestamp()).isGreaterThan(clientTimestamp));
    }
}
