package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.serialization.StringSerializer;
import dev.courier.test.EmbeddedKafka;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The same transactions against a cluster formatted with {@code transaction.version=1} (the classic
 * protocol: AddPartitionsToTxn, one epoch for every transaction) and one with the release's default
 * ({@code 2}, the shared cluster: partitions added by Produce, the epoch bumped by every EndTxn).
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

    /** The epoch the partition leader last saw from the transactional producer. */
    private static short producerEpoch(EmbeddedKafka kafka, String topic) throws Exception {
        org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(topic, 0);
        return (short) kafka.admin().describeProducers(java.util.List.of(tp)).partitionResult(tp)
                .get(30, TimeUnit.SECONDS).activeProducers().get(0).producerEpoch();
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
            assertThat(producerEpoch(kafka, topic)).as("v1: one epoch for all four transactions").isZero();
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
        // the third transaction (committed, so surely written) already ran at epoch 2
        assertThat(producerEpoch(kafka, topic)).as("v2: every EndTxn bumped the epoch").isGreaterThanOrEqualTo((short) 2);
    }
}
