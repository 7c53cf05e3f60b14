package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.courier.producer.errors.ApplicationRecoverableException;
import dev.courier.producer.errors.RecordTooLargeException;
import dev.courier.producer.errors.TransactionAbortableException;
import dev.courier.producer.errors.TransactionAbortedException;
import dev.courier.producer.serialization.StringSerializer;
import dev.courier.test.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Transactions against a real broker, read back with the official consumer in read_committed and
 * read_uncommitted modes. The shared cluster is formatted with its release's default features, so it
 * finalizes {@code transaction.version=2} and these run on transactions v2; the classic protocol runs in
 * {@link TransactionProtocolVersionsIntegrationTests} and, stepped, in {@code TransactionSenderTests}.
 */
class TransactionIntegrationTests {

    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();
    private static final AtomicInteger IDS = new AtomicInteger();

    static Producer<String, String> transactional(String transactionalId) {
        return transactional(transactionalId, Map.of());
    }

    static Producer<String, String> transactional(String transactionalId, Map<String, Object> extra) {
        Map<String, Object> config = TestProducers.config(kafka);
        config.put(ProducerConfig.TRANSACTIONAL_ID, transactionalId);
        config.put(ProducerConfig.MAX_BLOCK_MS, 30_000);
        config.putAll(extra);
        return new CourierProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    static String uniqueTransactionalId(String prefix) {
        return prefix + "-" + IDS.incrementAndGet() + "-" + System.nanoTime();
    }

    @Test
    void commitsAndAbortsAcrossTopicsAndPartitions() throws Exception {
        String orders = kafka.uniqueTopic("txn-orders");
        String audit = kafka.uniqueTopic("txn-audit");
        kafka.createTopic(orders, 3, 1);
        kafka.createTopic(audit, 2, 1);
        List<CompletableFuture<RecordMetadata>> aborted = new ArrayList<>();
        try (Producer<String, String> producer = transactional(uniqueTransactionalId("across"))) {
            producer.initTransactions();

            producer.beginTransaction();
            List<CompletableFuture<RecordMetadata>> committed = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                committed.add(producer.send(new ProducerRecord<>(orders, i % 3, null, "c1-" + i)));
                committed.add(producer.send(new ProducerRecord<>(audit, i % 2, null, "c1-audit-" + i)));
            }
            producer.commitTransaction();
            assertThat(committed).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());

            producer.beginTransaction();
            for (int i = 0; i < 30; i++) {
                aborted.add(producer.send(new ProducerRecord<>(orders, i % 3, null, "a-" + i)));
                aborted.add(producer.send(new ProducerRecord<>(audit, i % 2, null, "a-audit-" + i)));
            }
            producer.abortTransaction();
            assertThat(aborted).allMatch(CompletableFuture::isDone);

            producer.beginTransaction();
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>(orders, i % 3, null, "c2-" + i));
            }
            producer.commitTransaction();
        }

        for (CompletableFuture<RecordMetadata> future : aborted) {
            Throwable failure = TestProducers.failureOf(future);
            assertThat(failure == null || failure instanceof TransactionAbortedException)
                    .as("an aborted transaction's record either was written (and is hidden) or failed with"
                            + " TransactionAbortedException, not %s", failure).isTrue();
        }
        List<String> committedOrders = TransactionReader.readCommitted(kafka.bootstrapServers(), orders);
        assertThat(committedOrders).hasSize(60).allMatch(v -> v.startsWith("c1-") || v.startsWith("c2-"))
                .doesNotHaveDuplicates();
        assertThat(TransactionReader.readCommitted(kafka.bootstrapServers(), audit)).hasSize(30)
                .allMatch(v -> v.startsWith("c1-audit-"));
        long written = aborted.stream().filter(f -> TestProducers.failureOf(f) == null).count();
        assertThat(TransactionReader.readUncommitted(kafka.bootstrapServers(), orders).size()
                + TransactionReader.readUncommitted(kafka.bootstrapServers(), audit).size())
                .isEqualTo(60 + 30 + (int) written);
    }

    @Test
    void manyAlternatingTransactionsShowOnlyTheCommittedOnes() throws Exception {
        String topic = kafka.uniqueTopic("txn-alternating");
        kafka.createTopic(topic, 2, 1);
        int transactions = 20;
        int perTransaction = 25;
        try (Producer<String, String> producer = transactional(uniqueTransactionalId("alternating"))) {
            producer.initTransactions();
            for (int t = 0; t < transactions; t++) {
                producer.beginTransaction();
                for (int i = 0; i < perTransaction; i++) {
                    producer.send(new ProducerRecord<>(topic, (t % 2 == 0 ? "commit-" : "abort-") + t + "-" + i));
                }
                if (t % 2 == 0) {
                    producer.commitTransaction();
                } else {
                    producer.abortTransaction();
                }
            }
        }

        List<String> committed = TransactionReader.readCommitted(kafka.bootstrapServers(), topic);
        assertThat(committed).hasSize(transactions / 2 * perTransaction).allMatch(v -> v.startsWith("commit-"))
                .doesNotHaveDuplicates();
    }

    @Test
    void aSecondInstanceFencesTheFirstWhoseOpenTransactionStaysInvisible() throws Exception {
        String topic = kafka.uniqueTopic("txn-fencing");
        kafka.createTopic(topic, 2, 1);
        String id = uniqueTransactionalId("fencing");
        try (Producer<String, String> first = transactional(id); Producer<String, String> second = transactional(id)) {
            first.initTransactions();
            first.beginTransaction();
            for (int i = 0; i < 10; i++) {
                first.send(new ProducerRecord<>(topic, i % 2, null, "zombie-" + i)).get(30, TimeUnit.SECONDS);
            }

            second.initTransactions(); // fences the first and aborts its open transaction
            second.beginTransaction();
            second.send(new ProducerRecord<>(topic, 0, null, "fresh-0"));
            second.send(new ProducerRecord<>(topic, 1, null, "fresh-1"));
            second.commitTransaction();

            CompletableFuture<RecordMetadata> late = first.send(new ProducerRecord<>(topic, 0, null, "zombie-late"));
            assertThatThrownBy(first::commitTransaction).isInstanceOf(ApplicationRecoverableException.class)
                    .hasMessageContaining("fenced");
            // A commit that cannot go ahead throws at once, as kafka-clients' does; the record still ends, failed,
            // on the callback thread (it had not always done so by the time the commit threw).
            assertThat(late).failsWithin(Duration.ofSeconds(30));
            assertThatThrownBy(first::abortTransaction).isInstanceOf(ApplicationRecoverableException.class);
        }

        assertThat(TransactionReader.readCommitted(kafka.bootstrapServers(), topic))
                .containsExactlyInAnyOrder("fresh-0", "fresh-1");
        assertThat(TransactionReader.readUncommitted(kafka.bootstrapServers(), topic)).contains("zombie-0", "fresh-0");
    }

    @Test
    void groupOffsetsSentToATransactionAreCommittedOnlyWhenItCommits() throws Exception {
        String topic = kafka.uniqueTopic("txn-offsets");
        kafka.createTopic(topic, 1, 1);
        String group = "txn-offsets-group-" + System.nanoTime();
        org.apache.kafka.common.TopicPartition input = new org.apache.kafka.common.TopicPartition(topic, 0);
        try (Producer<String, String> producer = transactional(uniqueTransactionalId("offsets"))) {
            producer.initTransactions();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "aborted"));
            producer.sendOffsetsToTransaction(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(5, "a")),
                    new ConsumerGroupMetadata(group));
            producer.abortTransaction();
            assertThat(committedOffsets(group).get(input)).as("offsets of an aborted transaction").isNull();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "committed"));
            producer.sendOffsetsToTransaction(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(7, "c")),
                    new ConsumerGroupMetadata(group));
            producer.commitTransaction();
        }

        // The commit's markers reach the group coordinator just after commitTransaction returns.
        await("the committed offsets").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            org.apache.kafka.clients.consumer.OffsetAndMetadata offset = committedOffsets(group).get(input);
            assertThat(offset).isNotNull();
            assertThat(offset.offset()).isEqualTo(7);
            assertThat(offset.metadata()).isEqualTo("c");
        });
        assertThat(TransactionReader.readCommitted(kafka.bootstrapServers(), topic)).containsExactly("committed");
    }

    private static Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata>
            committedOffsets(String group) throws Exception {
        return kafka.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS);
    }

    @Test
    void aRecordFailingDuringTheCommitFailsItOnlyOnceEveryRecordHasEndedAndAbortRecovers() throws Exception {
        String topic = kafka.uniqueTopic("txn-failed-send");
        kafka.createTopic(topic, 2, 1, Map.of("max.message.bytes", "1024"));
        List<CompletableFuture<RecordMetadata>> small = new ArrayList<>();
        // A long linger: nothing leaves before commitTransaction() flushes, so the record fails during the commit.
        try (Producer<String, String> producer = transactional(uniqueTransactionalId("failed-send"),
                Map.of(ProducerConfig.LINGER_MS, 60_000))) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 10; i++) {
                small.add(producer.send(new ProducerRecord<>(topic, 1, null, "doomed-" + i)));
            }
            CompletableFuture<RecordMetadata> tooLarge = producer.send(new ProducerRecord<>(topic, 0, null,
                    "x".repeat(4096)));

            assertThatThrownBy(producer::commitTransaction).isInstanceOf(TransactionAbortableException.class)
                    .hasMessageContaining("abortTransaction()");
            assertThat(tooLarge).as("ended before the commit threw").isCompletedExceptionally();
            assertThat(TestProducers.failureOf(tooLarge)).isInstanceOf(RecordTooLargeException.class);
            assertThat(small).as("every record of the transaction ended before the commit threw")
                    .allMatch(CompletableFuture::isDone);

            producer.abortTransaction();
            producer.beginTransaction();
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, null, "after-" + i));
            }
            producer.commitTransaction();
        }
        List<String> committed = TransactionReader.readCommitted(kafka.bootstrapServers(), topic);
        assertThat(committed).as("10 committed, the failed transaction's 11 hidden or never written").hasSize(10)
                .allMatch(v -> v.startsWith("after-")).doesNotHaveDuplicates();
    }

    @Test
    void misuseFailsWithAClearIllegalStateException() {
        String topic = kafka.uniqueTopic("txn-misuse");
        kafka.createTopic(topic, 1, 1);
        try (Producer<String, String> producer = transactional(uniqueTransactionalId("misuse"))) {
            assertThatThrownBy(producer::beginTransaction).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("UNINITIALIZED");
            producer.initTransactions();
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "outside")))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("beginTransaction()");
            assertThatThrownBy(() -> producer.trySend(new ProducerRecord<>(topic, "outside, without waiting")))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("beginTransaction()");
            assertThatThrownBy(producer::commitTransaction).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(producer::abortTransaction).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(producer::initTransactions).isInstanceOf(IllegalStateException.class);
            producer.beginTransaction();
            assertThatThrownBy(producer::beginTransaction).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already open");
            producer.abortTransaction(); // nothing was sent: ends without the coordinator
        }
        try (Producer<String, String> plain = new CourierProducer<>(TestProducers.config(kafka),
                new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(plain::initTransactions).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("transactional.id");
        }
    }
}
