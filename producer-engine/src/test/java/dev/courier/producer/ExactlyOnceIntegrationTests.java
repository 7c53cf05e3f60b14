package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.serialization.StringSerializer;
import dev.courier.test.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Consume-transform-produce with a real {@link KafkaConsumer}: output records and the consumer's offsets
 * commit together through {@code sendOffsetsToTransaction}, so after a crash mid-transaction a new
 * instance with the same transactional id continues from the committed offsets and the output, read
 * committed, holds every input exactly once.
 */
class ExactlyOnceIntegrationTests {

    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();
    private static final int INPUT = 200;

    private static KafkaConsumer<String, String> consumer(String group, String input) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "30");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer());
        consumer.subscribe(List.of(input));
        return consumer;
    }

    /**
     * One transaction: the polled records transformed, plus their offsets. Returns how many inputs it
     * carried (0 when the poll found none, and no transaction began); commits unless {@code crash}, which
     * leaves the transaction open with its outputs written.
     */
    private static int transformOnce(KafkaConsumer<String, String> consumer, Producer<String, String> producer,
                                     String output, boolean crash) throws Exception {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
        if (records.isEmpty()) {
            return 0;
        }
        producer.beginTransaction();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        List<CompletableFuture<RecordMetadata>> sent = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            sent.add(producer.send(new ProducerRecord<>(output, record.key(), "out-" + record.value())));
            offsets.put(new TopicPartition(record.topic(), record.partition()),
                    new OffsetAndMetadata(record.offset() + 1, null));
        }
        org.apache.kafka.clients.consumer.ConsumerGroupMetadata group = consumer.groupMetadata();
        producer.sendOffsetsToTransaction(offsets, new ConsumerGroupMetadata(group.groupId(), group.generationId(),
                group.memberId(), group.groupInstanceId()));
        if (crash) {
            CompletableFuture.allOf(sent.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
            return records.count();
        }
        producer.commitTransaction();
        return records.count();
    }

    @Test
    void aCrashMidTransactionResumesFromTheCommittedOffsetsWithExactlyOnceOutput() throws Exception {
        String input = kafka.uniqueTopic("eos-in");
        String output = kafka.uniqueTopic("eos-out");
        kafka.createTopic(input, 2, 1);
        kafka.createTopic(output, 2, 1);
        try (Producer<String, String> seed = new CourierProducer<>(TestProducers.config(kafka), new StringSerializer(),
                new StringSerializer())) {
            List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
            for (int i = 0; i < INPUT; i++) {
                futures.add(seed.send(new ProducerRecord<>(input, "k" + i, "n-" + i)));
            }
            CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        }
        String group = "eos-group-" + System.nanoTime();
        String transactionalId = TransactionIntegrationTests.uniqueTransactionalId("eos");

        int committed = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Producer<String, String> first = TransactionIntegrationTests.transactional(transactionalId);
        try (KafkaConsumer<String, String> consumer = consumer(group, input)) {
            first.initTransactions();
            while (committed < INPUT / 2 && System.nanoTime() < deadline) {
                committed += transformOnce(consumer, first, output, false);
            }
            int crashedWith = 0;
            while (crashedWith == 0 && System.nanoTime() < deadline) {
                crashedWith = transformOnce(consumer, first, output, true);
            }
            assertThat(crashedWith).as("records in the transaction left open").isPositive();
        } finally {
            first.close(Duration.ZERO); // the crash: the open transaction is neither committed nor aborted
        }
        assertThat(committed).isGreaterThanOrEqualTo(INPUT / 2).isLessThan(INPUT);

        try (KafkaConsumer<String, String> consumer = consumer(group, input);
             Producer<String, String> second = TransactionIntegrationTests.transactional(transactionalId)) {
            second.initTransactions(); // fences the crashed instance and aborts its open transaction
            while (committed < INPUT && System.nanoTime() < deadline) {
                committed += transformOnce(consumer, second, output, false);
            }
        }

        assertThat(committed).isEqualTo(INPUT);
        List<String> outputs = TransactionReader.readCommitted(kafka.bootstrapServers(), output);
        assertThat(outputs).hasSize(INPUT).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, INPUT).mapToObj(i -> "out-n-" + i).toList());
        assertThat(TransactionReader.readUncommitted(kafka.bootstrapServers(), output).size())
                .as("the crashed transaction's outputs were written, and stay invisible to read_committed")
                .isGreaterThan(INPUT);
    }
}
