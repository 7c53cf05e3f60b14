package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.serialization.ByteArraySerializer;
import dev.courier.producer.serialization.StringSerializer;
import dev.courier.test.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What we write is what the official consumer reads: keys, values, headers, timestamps, partitions. */
class ProducerRoundTripIntegrationTests {

    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();

    static Stream<Arguments> codecsAndAcks() {
        List<Arguments> arguments = new ArrayList<>();
        for (String codec : List.of("none", "gzip", "snappy", "lz4", "zstd")) {
            for (String acks : List.of("0", "1", "all")) {
                arguments.add(Arguments.of(codec, acks));
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "compression.type={0}, acks={1}")
    @MethodSource("codecsAndAcks")
    void recordsComeBackExactlyAsSentForEveryCodecAndAcks(String codec, String acks) {
        String topic = kafka.uniqueTopic("round-trip-" + codec + "-" + acks);
        kafka.createTopic(topic, 2, 1);
        Map<String, Object> config = TestProducers.config(kafka);
        config.put(ProducerConfig.COMPRESSION_TYPE, codec);
        config.put(ProducerConfig.ACKS, acks);
        long baseTimestamp = System.currentTimeMillis() - 60_000;
        List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] key = i % 7 == 0 ? null : ("key-" + i).getBytes(StandardCharsets.UTF_8);
            byte[] value = i % 11 == 0 ? null : ("value-" + i + "-" + "x".repeat(i)).getBytes(StandardCharsets.UTF_8);
            List<Header> headers = i % 3 == 0 ? List.of()
                    : List.of(new Header("h1", ("hv-" + i).getBytes(StandardCharsets.UTF_8)), new Header("h2", null));
            sent.add(new ProducerRecord<>(topic, i % 2, baseTimestamp + i, key, value, headers));
        }
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try (Producer<byte[], byte[]> producer =
                     new CourierProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> record : sent) {
                futures.add(producer.send(record));
            }
            producer.flush();
        }
        for (int i = 0; i < futures.size(); i++) {
            RecordMetadata metadata = futures.get(i).join();
            assertThat(metadata.topic()).isEqualTo(topic);
            assertThat(metadata.partition()).isEqualTo(i % 2);
            assertThat(metadata.timestamp()).isEqualTo(baseTimestamp + i);
            if (acks.equals("0")) {
                assertThat(metadata.offset()).isEqualTo(-1);
            } else {
                assertThat(metadata.offset()).isEqualTo(i / 2);
            }
        }

        List<ConsumerRecord<byte[], byte[]>> received = kafka.consume(topic, sent.size(), Duration.ofSeconds(30));
        assertThat(received).hasSize(sent.size());
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : received) {
            byPartition.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record);
        }
        for (int i = 0; i < sent.size(); i++) {
            ProducerRecord<byte[], byte[]> expected = sent.get(i);
            ConsumerRecord<byte[], byte[]> actual = byPartition.get(i % 2).get(i / 2);
            assertThat(actual.offset()).isEqualTo(i / 2);
            assertThat(actual.key()).isEqualTo(expected.key());
            assertThat(actual.value()).isEqualTo(expected.value());
            assertThat(actual.timestamp()).isEqualTo(expected.timestamp());
            assertThat(actual.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
            List<Header> headers = new ArrayList<>();
            actual.headers().forEach(h -> headers.add(new Header(h.key(), h.value())));
            assertThat(headers).isEqualTo(expected.headers());
        }
    }

    @Test
    void keyedRecordsLandOnThePartitionKafkaClientsChooses() throws Exception {
        String ours = kafka.uniqueTopic("keyed-courier");
        String theirs = kafka.uniqueTopic("keyed-kafka-clients");
        kafka.createTopic(ours, 7, 1);
        kafka.createTopic(theirs, 7, 1);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            keys.add("user-" + i * 7919);
        }
        keys.addAll(List.of("", "a", "héllo-ключ"));
        Map<String, Integer> ourPartitions = new HashMap<>();
        try (Producer<String, String> producer =
                     new CourierProducer<>(TestProducers.config(kafka), new StringSerializer(), new StringSerializer())) {
            for (String key : keys) {
                ourPartitions.put(key, producer.send(new ProducerRecord<>(ours, key, "v")).get().partition());
            }
        }
        Map<String, Object> theirConfig = new HashMap<>();
        theirConfig.put("bootstrap.servers", kafka.bootstrapServers());
        Map<String, Integer> theirPartitions = new HashMap<>();
        try (org.apache.kafka.clients.producer.KafkaProducer<String, String> official =
                     new org.apache.kafka.clients.producer.KafkaProducer<>(theirConfig,
                             new org.apache.kafka.common.serialization.StringSerializer(),
                             new org.apache.kafka.common.serialization.StringSerializer())) {
            for (String key : keys) {
                theirPartitions.put(key, official.send(
                        new org.apache.kafka.clients.producer.ProducerRecord<>(theirs, key, "v")).get().partition());
            }
        }
        assertThat(ourPartitions).isEqualTo(theirPartitions);
        assertThat(ourPartitions.values()).as("keys spread over the partitions").hasSizeGreaterThan(1)
                .containsAll(List.of(0, 1, 2, 3, 4, 5, 6));
    }

    @Test
    void logAppendTimeTopicsReportTheBrokersTimestamp() {
        String topic = kafka.uniqueTopic("log-append-time");
        kafka.createTopic(topic, 1, 1, Map.of("message.timestamp.type", "LogAppendTime"));
        long createTime = 1_000_000L;
        RecordMetadata metadata;
        try (Producer<String, String> producer =
                     new CourierProducer<>(TestProducers.config(kafka), new StringSerializer(), new StringSerializer())) {
            metadata = producer.send(new ProducerRecord<>(topic, 0, createTime, "k", "v", null)).join();
        }
        ConsumerRecord<byte[], byte[]> read = kafka.consume(topic, 1, Duration.ofSeconds(30)).get(0);
        assertThat(read.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(metadata.timestamp()).isNotEqualTo(createTime).isEqualTo(read.timestamp());
    }

    @Test
    void unkeyedRecordsStickToOnePartitionPerBatch() {
        String topic = kafka.uniqueTopic("sticky");
        kafka.createTopic(topic, 4, 1);
        Map<String, Object> config = TestProducers.config(kafka);
        config.put(ProducerConfig.BATCH_SIZE, 1024);
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try (Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 2000; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, "value-" + i)));
            }
            producer.flush();
        }
        Map<Integer, Integer> perPartition = new HashMap<>();
        int switches = 0;
        int last = -1;
        for (CompletableFuture<RecordMetadata> future : futures) {
            int partition = future.join().partition();
            perPartition.merge(partition, 1, Integer::sum);
            if (partition != last) {
                switches++;
                last = partition;
            }
        }
        assertThat(perPartition.keySet()).as("records spread over partitions over time").hasSizeGreaterThan(1);
        assertThat(switches).as("records stick to a partition for a batch's worth").isLessThan(futures.size() / 10);
        assertThat(kafka.consume(topic, futures.size(), Duration.ofSeconds(30))).hasSize(futures.size());
    }
}
