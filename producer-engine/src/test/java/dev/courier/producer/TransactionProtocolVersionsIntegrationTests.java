package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.serialization.StringSerializer;
import dev.courier.producer.testing.EmbeddedKafka;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The same transactions against a cluster formatted with {@code transaction.version=1} and one with the
 * release's default ({@code 2}, the shared cluster). This client speaks the classic protocol to both; the
 * broker must accept it either way.
 */
class TransactionProtocolVersionsIntegrationTests {

    private static short transactionVersion(EmbeddedKafka kafka) throws Exception {
        return kafka.admin().describeFeatures().featureMetadata().get(30, TimeUnit.SECONDS).finalizedFeatures()
                .get("transaction.version").maxVersionLevel();
    }

    private static void commitOneAbortOne(EmbeddedKafka kafka, String topic) {
        Map<String, Object> config = TestProducers.config(kafka);
        config.put(ProducerConfig.TRANSACTIONAL_ID, "versions-" + topic);
        try (Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            producer.initTransactions();
            for (int t = 0; t < 4; t++) {
                producer.beginTransaction();
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>(topic, i % 2, null, (t % 2 == 0 ? "c-" : "a-") + t + "-" + i));
                }
                if (t % 2 == 0) {
                    producer.commitTransaction();
                } else {
                    producer.abortTransaction();
                }
            }
        }
    }

    @Test
    void aClusterWithTransactionsV1() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startWithFeatures(1, Map.of(),
                Map.of("transaction.version", (short) 1))) {
            assertThat(transactionVersion(kafka)).isEqualTo((short) 1);
            String topic = kafka.uniqueTopic("tv1");
            kafka.createTopic(topic, 2, 1);
            commitOneAbortOne(kafka, topic);
            assertThat(TransactionReader.readCommitted(kafka.bootstrapServers(), topic)).hasSize(20)
                    .allMatch(v -> v.startsWith("c-")).doesNotHaveDuplicates();
        }
    }

    @Test
    void aClusterWithTransactionsV2Finalized() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.shared();
        assertThat(transactionVersion(kafka)).isEqualTo((short) 2);
        String topic = kafka.uniqueTopic("tv2");
        kafka.createTopic(topic, 2, 1);
        commitOneAbortOne(kafka, topic);
        assertThat(TransactionReader.readCommitted(kafka.bootstrapServers(), topic)).hasSize(20)
                .allMatch(v -> v.startsWith("c-")).doesNotHaveDuplicates();
    }
}
