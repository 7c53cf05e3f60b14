package dev.courier.compat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a topic back with the official consumer, as a {@code read_committed} application would see it. */
final class CommittedReader {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private CommittedReader() {
    }

    /**
     * Every committed record of {@code topic}, in offset order per partition: reads until at least {@code expected}
     * records arrived and every partition is read up to its last stable offset (so that duplicates or records of
     * aborted transactions beyond the expected ones would be seen too), or fails after 30 s.
     */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrapServers, String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "compat-reader-" + topic);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadlineNs = System.nanoTime() + TIMEOUT.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (true) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                if (records.size() >= expected && readToTheEnd(consumer, partitions)) {
                    return records;
                }
                if (System.nanoTime() - deadlineNs > 0) {
                    throw new AssertionError("Read " + records.size() + " of " + expected + " records from " + topic
                            + " within " + TIMEOUT);
                }
            }
        }
    }

    private static boolean readToTheEnd(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
        return partitions.stream().allMatch(tp -> consumer.position(tp, TIMEOUT) >= ends.get(tp));
    }
}
