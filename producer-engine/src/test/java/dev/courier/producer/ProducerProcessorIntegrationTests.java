package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.serialization.StringSerializer;
import dev.courier.test.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;

/**
 * {@link ProducerProcessor} between Reactor streams (through the JDK Flow adapters) and a real broker, read back
 * with the official consumer.
 */
class ProducerProcessorIntegrationTests {

    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();
    private static final Duration AWAIT = Duration.ofSeconds(120);

    private static CourierProducer<String, String> producer(Map<String, Object> config) {
        return new CourierProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    @Test
    void aHundredThousandRecordsThroughSixtyFourKibibytesArriveInOrderAndNoneFailsForLackOfMemory() {
        int count = 100_000;
        String topic = kafka.uniqueTopic("processor");
        kafka.createTopic(topic, 1, 1);
        Map<String, Object> config = TestProducers.config(kafka);
        config.put(ProducerConfig.BUFFER_MEMORY, 64 * 1024); // four batches of the default 16 KiB
        try (CourierProducer<String, String> producer = producer(config)) {
            ProducerProcessor<String, String> processor = producer.processor();
            Flux<ProducerRecord<String, String>> records = Flux.range(0, count)
                    .map(i -> new ProducerRecord<String, String>(topic, "r" + i));
            JdkFlowAdapter.publisherToFlowPublisher(records).subscribe(processor);

            List<SendOutcome<String, String>> outcomes = JdkFlowAdapter.flowPublisherToFlux(processor)
                    .collectList().block(AWAIT);

            assertThat(outcomes).hasSize(count);
            assertThat(outcomes).allSatisfy(o -> assertThat(o.exception()).isNull());
            assertThat(outcomes).extracting(o -> o.metadata().offset())
                    .containsExactlyElementsOf(IntStream.range(0, count).mapToObj(i -> (long) i).toList());
            assertThat(outcomes).extracting(o -> o.record().value())
                    .containsExactlyElementsOf(IntStream.range(0, count).mapToObj(i -> "r" + i).toList());
            assertThat(producer.status().failed()).as("nothing failed for lack of memory").isZero();
            assertThat(producer.status().acknowledged()).isEqualTo(count);
        }
        assertThat(kafka.consume(topic, count, AWAIT)).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactlyElementsOf(IntStream.range(0, count).mapToObj(i -> "r" + i).toList());
    }

    @Test
    void withMaxBufferedRecordsTheProcessorWaitsForRecordSlotsAndFailsNothing() {
        int count = 5_000;
        String topic = kafka.uniqueTopic("processor-records");
        kafka.createTopic(topic, 3, 1);
        Map<String, Object> config = TestProducers.config(kafka);
        config.put(ProducerConfig.MAX_BUFFERED_RECORDS, 50);
        try (CourierProducer<String, String> producer = producer(config)) {
            ProducerProcessor<String, String> processor = producer.processor(200);
            JdkFlowAdapter.publisherToFlowPublisher(Flux.range(0, count).map(i -> new ProducerRecord<String, String>(topic, "r" + i)))
                    .subscribe(processor);

            List<SendOutcome<String, String>> outcomes = JdkFlowAdapter.flowPublisherToFlux(processor)
                    .collectList().block(AWAIT);

            assertThat(outcomes).extracting(o -> o.record().value())
                    .containsExactlyElementsOf(IntStream.range(0, count).mapToObj(i -> "r" + i).toList());
            assertThat(outcomes).allSatisfy(o -> assertThat(o.isSuccess()).isTrue());
            assertThat(producer.status().failed()).isZero();
        }
        assertThat(kafka.consume(topic, count, AWAIT)).hasSize(count);
    }

    @Test
    void cancellingTheOutcomesStopsRequestingRecords() {
        String topic = kafka.uniqueTopic("processor-cancel");
        kafka.createTopic(topic, 1, 1);
        int maxOutstanding = 256;
        AtomicLong generated = new AtomicLong();
        try (CourierProducer<String, String> producer = producer(TestProducers.config(kafka))) {
            ProducerProcessor<String, String> processor = producer.processor(maxOutstanding);
            JdkFlowAdapter.publisherToFlowPublisher(Flux.range(0, Integer.MAX_VALUE)
                    .doOnNext(i -> generated.incrementAndGet())
                    .map(i -> new ProducerRecord<String, String>(topic, "r" + i))).subscribe(processor);

            List<SendOutcome<String, String>> first = JdkFlowAdapter.flowPublisherToFlux(processor)
                    .take(1_000).collectList().block(AWAIT);

            assertThat(first).hasSize(1_000);
            producer.flush();
            long afterCancel = generated.get();
            assertThat(afterCancel).as("at most maxOutstanding records beyond those taken")
                    .isBetween(1_000L, 1_000L + maxOutstanding);
            assertThat(producer.status().acknowledged()).isBetween(1_000L, afterCancel);
            assertThat(producer.status().failed()).isZero();
        }
    }
}
