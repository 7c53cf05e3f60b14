package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.serialization.StringSerializer;
import dev.courier.test.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The idempotent producer as the broker sees it: a producer id, an epoch and sequence numbers that run
 * on without gaps. Loss and duplicates under failures are covered by the failover and fault-injection
 * tests.
 */
class IdempotenceIntegrationTests {

    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();

    private static List<ProducerState> producersOf(String topic) throws Exception {
        TopicPartition tp = new TopicPartition(topic, 0);
        return kafka.admin().describeProducers(List.of(tp)).partitionResult(tp).get(30, TimeUnit.SECONDS)
                .activeProducers();
    }

    @Test
    void aDefaultProducerIsIdempotentAndNumbersEveryRecord() throws Exception {
        String topic = kafka.uniqueTopic("idempotent");
        kafka.createTopic(topic, 1, 1);
        int records = 5_000;
        try (Producer<String, String> producer = new CourierProducer<>(TestProducers.config(kafka), new StringSerializer(), new StringSerializer())) {
            List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
            for (int i = 0; i < records; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)));
            }
            CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        }

        List<ProducerState> producers = producersOf(topic);
        assertThat(producers).hasSize(1);
        assertThat(producers.get(0).producerId()).isNotNegative();
        assertThat(producers.get(0).producerEpoch()).isNotNegative();
        assertThat(producers.get(0).lastSequence()).isEqualTo(records - 1);
        List<ConsumerRecord<byte[], byte[]>> consumed = kafka.consume(topic, records, Duration.ofSeconds(30));
        assertThat(consumed).extracting(r -> new String(r.value())).first().isEqualTo("v0");
        assertThat(consumed).extracting(r -> new String(r.value())).last().isEqualTo("v" + (records - 1));
    }

    @Test
    void acksOneWithoutAnExplicitChoiceQuietlyTurnsIdempotenceOff() throws Exception {
        String topic = kafka.uniqueTopic("not-idempotent");
        kafka.createTopic(topic, 1, 1);
        Map<String, Object> config = TestProducers.config(kafka);
        config.put(ProducerConfig.ACKS, "1");
        try (Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "v")).get(30, TimeUnit.SECONDS);
        }

        assertThat(producersOf(topic)).isEmpty();
        assertThat(kafka.consume(topic, 1, Duration.ofSeconds(30))).hasSize(1);
    }

    @Test
    void twoProducersGetDistinctIds() throws Exception {
        String topic = kafka.uniqueTopic("two-producers");
        kafka.createTopic(topic, 1, 1);
        try (Producer<String, String> first = new CourierProducer<>(TestProducers.config(kafka), new StringSerializer(), new StringSerializer());
             Producer<String, String> second = new CourierProducer<>(TestProducers.config(kafka), new StringSerializer(), new StringSerializer())) {
            first.send(new ProducerRecord<>(topic, "a")).get(30, TimeUnit.SECONDS);
            second.send(new ProducerRecord<>(topic, "b")).get(30, TimeUnit.SECONDS);
        }

        assertThat(producersOf(topic)).extracting(ProducerState::producerId).doesNotHaveDuplicates().hasSize(2);
    }
}
