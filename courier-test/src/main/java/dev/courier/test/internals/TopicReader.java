package dev.courier.test.internals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic back with the official consumer, for {@code EmbeddedKafka#consume}, {@code EmbeddedKafka#consumeAll}
 * and {@code RecordReader}. Internal: its signatures may change between releases.
 */
public final class TopicReader {

    private TopicReader() {
    }

    /**
     * Reads {@code topic} from the beginning of every partition with the official {@link KafkaConsumer} until
     * at least {@code expectedCount} records arrived (it may return more), or fails after {@code timeout}
     * listing what it did read. Uses no consumer group; reads uncommitted records.
     */
    public static List<ConsumerRecord<byte[], byte[]>> consume(String bootstrapServers, String topic, int expectedCount,
                                                        Duration timeout) {
        return consume(bootstrapServers, Map.of(), topic, expectedCount, timeout);
    }

    /** As {@link #consume(String, String, int, Duration)}, with extra consumer properties (e.g. SASL settings). */
    public static List<ConsumerRecord<byte[], byte[]>> consume(String bootstrapServers, Map<String, String> clientProps,
                                                        String topic, int expectedCount, Duration timeout) {
        return read(bootstrapServers, clientProps, topic, timeout, "embedded-kafka-consume-", (consumer, partitions) -> records -> records.size() < expectedCount, "Expected " + expectedCount + " records from " + topic + " within " + timeout);
    }

    /**
     * Reads every record of {@code topic} that exists when this is called (up to each partition's end offset at the
     * start) with the official consumer, in offset order per partition. Unlike {@link #consume} it never stops early,
     * so duplicates beyond an expected count are seen too.
     */
    public static List<ConsumerRecord<byte[], byte[]>> consumeAll(String bootstrapServers, String topic, Duration timeout) {
        return read(bootstrapServers, Map.of(), topic, timeout, "embedded-kafka-consume-all-", (consumer, partitions) -> {
            Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions, timeout);
            return records -> partitions.stream().anyMatch(tp -> consumer.position(tp, timeout) < endOffsets.get(tp));
        }, "Could not read " + topic + " up to its end offsets within " + timeout);
    }

    /** Decides, once the consumer is assigned, when a read is still short of what the caller wants. */
    private interface Goal {
        Predicate<List<ConsumerRecord<byte[], byte[]>>> start(KafkaConsumer<byte[], byte[]> consumer,
                                                                 List<TopicPartition> partitions);
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String bootstrapServers, Map<String, String> clientProps,
                                                            String topic, Duration timeout,
                                                            String clientIdPrefix, Goal goal, String failure) {
        Properties props = new Properties();
        props.putAll(clientProps);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientIdPrefix + topic);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            if (partitions.isEmpty()) {
                throw new AssertionError("Topic " + topic + " does not exist");
            }
            Predicate<List<ConsumerRecord<byte[], byte[]>>> wantsMore = goal.start(consumer, partitions);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (wantsMore.test(records)) {
                long remainingNs = deadlineNs - System.nanoTime();
                if (remainingNs <= 0) {
                    throw new AssertionError(failure + " but read " + records.size() + ": " + describe(records));
                }
                consumer.poll(Duration.ofNanos(Math.min(remainingNs, TimeUnit.MILLISECONDS.toNanos(200))))
                        .forEach(records::add);
            }
        }
        return records;
    }

    /** The first and last few records and a count per partition: enough to diagnose, small enough to read. */
    private static String describe(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<Integer, Long> perPartition = records.stream()
                .collect(Collectors.groupingBy(ConsumerRecord::partition, java.util.TreeMap::new, Collectors.counting()));
        List<ConsumerRecord<byte[], byte[]>> shown = records.size() <= 20 ? records
                : java.util.stream.Stream.concat(records.subList(0, 10).stream(),
                        records.subList(records.size() - 10, records.size()).stream()).toList();
        return "per partition " + perPartition + ", " + (records.size() > 20 ? "first and last 10 " : "") + shown.stream()
                .map(r -> r.topic() + "-" + r.partition() + "@" + r.offset() + " key=" + text(r.key())
                        + " value=" + text(r.value()))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String text(byte[] bytes) {
        if (bytes == null) {
            return "null";
        }
        String s = new String(bytes, StandardCharsets.UTF_8);
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
