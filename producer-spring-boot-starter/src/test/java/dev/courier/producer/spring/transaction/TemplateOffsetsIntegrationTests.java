package dev.courier.producer.spring.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.courier.producer.ConsumerGroupMetadata;
import dev.courier.producer.CourierProducer;
import dev.courier.producer.OffsetAndMetadata;
import dev.courier.producer.ProducerConfig;
import dev.courier.producer.ProducerRecord;
import dev.courier.producer.TopicPartition;
import dev.courier.producer.serialization.StringSerializer;
import dev.courier.producer.spring.ProducerOperations;
import dev.courier.producer.spring.ProducerTemplate;
import dev.courier.producer.spring.autoconfigure.CourierProducerAutoConfiguration;
import dev.courier.test.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Consume-transform-produce through the template with a real {@link KafkaConsumer}: each polled batch is
 * transformed and sent, and the consumer's offsets go into the same transaction with
 * {@code sendOffsetsToTransaction}, from {@code executeInTransaction} and from a Spring-managed transaction
 * ({@link TransactionTemplate} over {@link CourierTransactionManager}). A batch whose transaction aborts, and a
 * consumer that "crashes" (closes without committing) mid-way and is replaced, still leave every input record
 * in the output exactly once for a read_committed reader.
 */
class TemplateOffsetsIntegrationTests {

    private static final Logger log = LoggerFactory.getLogger(TemplateOffsetsIntegrationTests.class);
    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();
    private static final int INPUT_PARTITIONS = 2;
    private static final int INPUT_RECORDS = 60;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CourierProducerAutoConfiguration.class))
            .withPropertyValues("courier.producer.bootstrap-servers=" + kafka.bootstrapServers(),
                    "courier.producer.transaction-id-prefix=" + kafka.uniqueTopic("ctp-tx") + "-");

    @SuppressWarnings("unchecked")
    private static ProducerTemplate<String, String> template(ApplicationContext context) {
        return context.getBean(ProducerTemplate.class);
    }

    /** How a batch's transaction is run. */
    private enum Step { EXECUTE_IN_TRANSACTION, TRANSACTION_TEMPLATE }

    @Test
    void consumeTransformProduceWithOffsetsInTheTransactionIsExactlyOnceAcrossAnAbortAndACrash() {
        String input = kafka.uniqueTopic("ctp-in");
        String output = kafka.uniqueTopic("ctp-out");
        kafka.createTopic(input, INPUT_PARTITIONS, 1);
        kafka.createTopic(output, 1, 1);
        String group = kafka.uniqueTopic("ctp-group");
        produceInput(input);

        runner.run(context -> {
            ProducerTemplate<String, String> template = template(context);
            TransactionTemplate spring = new TransactionTemplate(context.getBean(CourierTransactionManager.class));
            int committed = 0;
            int aborted = 0;

            // First consumer: a few batches, alternating the two ways of running the transaction; then one batch
            // whose transaction fails after sending its output and offsets; then it "crashes" (closes, commits
            // nothing itself).
            try (KafkaConsumer<String, String> consumer = consumer(group, input)) {
                for (int i = 0; i < 4; i++) {
                    ConsumerRecords<String, String> batch = pollSome(consumer);
                    process(template, spring, consumer, batch, output,
                            i % 2 == 0 ? Step.EXECUTE_IN_TRANSACTION : Step.TRANSACTION_TEMPLATE, false);
                    committed++;
                }
                ConsumerRecords<String, String> doomed = pollSome(consumer);
                assertThatThrownBy(() -> process(template, spring, consumer, doomed, output,
                        Step.EXECUTE_IN_TRANSACTION, true)).hasMessage("transform failed");
                aborted++;
                ConsumerRecords<String, String> doomedToo = pollSome(consumer);
                assertThatThrownBy(() -> process(template, spring, consumer, doomedToo, output,
                        Step.TRANSACTION_TEMPLATE, true)).hasMessage("transform failed");
                aborted++;
            }

            // Second consumer of the same group: resumes from the offsets the committed transactions carried.
            try (KafkaConsumer<String, String> consumer = consumer(group, input)) {
                int step = 0;
                while (committedOffsetsTotal(consumer, input) < INPUT_RECORDS) {
                    ConsumerRecords<String, String> batch = pollSome(consumer);
                    process(template, spring, consumer, batch, output,
                            step++ % 2 == 0 ? Step.TRANSACTION_TEMPLATE : Step.EXECUTE_IN_TRANSACTION, false);
                    committed++;
                }
            }

            List<String> visible = TransactionalTemplateIntegrationTests.readCommitted(output);
            Set<String> distinct = new HashSet<>(visible);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < INPUT_RECORDS; i++) {
                expected.add("RECORD-" + i);
            }
            int written = kafka.consumeAll(output, Duration.ofSeconds(30)).size();
            log.info("Template consume-transform-produce: {} input records, {} transactions committed, {} aborted, "
                            + "{} output records written, {} visible read_committed, {} duplicates", INPUT_RECORDS,
                    committed, aborted, written, visible.size(), visible.size() - distinct.size());
            assertThat(visible).as("every input record exactly once").hasSize(INPUT_RECORDS)
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(written).as("the aborted batches were written too, and hidden").isGreaterThan(INPUT_RECORDS);
            try (KafkaConsumer<String, String> consumer = consumer(group, input)) {
                assertThat(committedOffsetsTotal(consumer, input)).as("the group's offsets reached the end")
                        .isEqualTo(INPUT_RECORDS);
            }
        });
    }

    @Test
    void sendOffsetsToTransactionOutsideATransactionOrOnAPlainTemplateFailsClearly() {
        Map<TopicPartition, OffsetAndMetadata> offsets = Map.of(new TopicPartition("in", 0),
                new OffsetAndMetadata(1, null));
        ConsumerGroupMetadata group = new ConsumerGroupMetadata("g");
        runner.run(context -> assertThatThrownBy(() -> template(context).sendOffsetsToTransaction(offsets, group))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("outside a transaction"));
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CourierProducerAutoConfiguration.class))
                .withPropertyValues("courier.producer.bootstrap-servers=" + kafka.bootstrapServers())
                .run(context -> assertThatThrownBy(() -> template(context).sendOffsetsToTransaction(offsets, group))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("courier.producer.transaction-id-prefix"));
    }

    /**
     * Transforms {@code batch} into {@code output} and puts the consumer's next offsets into the same transaction;
     * when {@code fail}, throws after both, so the transaction aborts, and rewinds the consumer to its committed
     * offsets as an application must.
     */
    private static void process(ProducerTemplate<String, String> template, TransactionTemplate spring,
                                KafkaConsumer<String, String> consumer, ConsumerRecords<String, String> batch,
                                String output, Step step, boolean fail) {
        Map<TopicPartition, OffsetAndMetadata> offsets = nextOffsets(batch);
        ConsumerGroupMetadata group = groupMetadata(consumer);
        try {
            if (step == Step.EXECUTE_IN_TRANSACTION) {
                template.executeInTransaction(operations -> {
                    transform(operations, batch, output, offsets, group, fail);
                    return null;
                });
            } else {
                spring.executeWithoutResult(status -> transform(template, batch, output, offsets, group, fail));
            }
        } catch (RuntimeException e) {
            rewind(consumer);
            throw e;
        }
    }

    private static void transform(ProducerOperations<String, String> operations,
                                  ConsumerRecords<String, String> batch, String output,
                                  Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group,
                                  boolean fail) {
        for (ConsumerRecord<String, String> record : batch) {
            // Acknowledged before a failure: the broker holds the aborted records and read_committed hides them.
            operations.send(output, record.key(), record.value().toUpperCase(java.util.Locale.ROOT)).join();
        }
        operations.sendOffsetsToTransaction(offsets, group);
        if (fail) {
            throw new IllegalStateException("transform failed");
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, String> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (org.apache.kafka.common.TopicPartition tp : batch.partitions()) {
            List<ConsumerRecord<String, String>> records = batch.records(tp);
            offsets.put(new TopicPartition(tp.topic(), tp.partition()),
                    new OffsetAndMetadata(records.get(records.size() - 1).offset() + 1, null));
        }
        return offsets;
    }

    private static ConsumerGroupMetadata groupMetadata(KafkaConsumer<?, ?> consumer) {
        org.apache.kafka.clients.consumer.ConsumerGroupMetadata group = consumer.groupMetadata();
        return new ConsumerGroupMetadata(group.groupId(), group.generationId(), group.memberId(),
                group.groupInstanceId());
    }

    /** Back to the group's committed offsets (or the beginning), after an aborted transaction. */
    private static void rewind(KafkaConsumer<String, String> consumer) {
        Set<org.apache.kafka.common.TopicPartition> assigned = consumer.assignment();
        var committed = consumer.committed(assigned, Duration.ofSeconds(30));
        for (org.apache.kafka.common.TopicPartition tp : assigned) {
            var offset = committed.get(tp);
            if (offset == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, offset.offset());
            }
        }
    }

    private static KafkaConsumer<String, String> consumer(String group, String input) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "7");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer());
        consumer.subscribe(List.of(input));
        return consumer;
    }

    /** The next non-empty poll (the first ones may only join the group). */
    private static ConsumerRecords<String, String> pollSome(KafkaConsumer<String, String> consumer) {
        ConsumerRecords<String, String>[] polled = new ConsumerRecords[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            polled[0] = consumer.poll(Duration.ofMillis(200));
            return !polled[0].isEmpty();
        });
        return polled[0];
    }

    private static long committedOffsetsTotal(KafkaConsumer<String, String> consumer, String input) {
        Set<org.apache.kafka.common.TopicPartition> partitions = new HashSet<>();
        for (int p = 0; p < INPUT_PARTITIONS; p++) {
            partitions.add(new org.apache.kafka.common.TopicPartition(input, p));
        }
        long total = 0;
        for (var offset : consumer.committed(partitions, Duration.ofSeconds(30)).values()) {
            total += offset == null ? 0 : offset.offset();
        }
        return total;
    }

    private static void produceInput(String input) {
        try (CourierProducer<String, String> producer = new CourierProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers()), new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < INPUT_RECORDS; i++) {
                producer.send(new ProducerRecord<>(input, i % INPUT_PARTITIONS, "k" + i, "record-" + i));
            }
            producer.flush();
        }
    }
}
