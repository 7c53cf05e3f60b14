package dev.courier.producer.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.producer.CourierProducer;
import dev.courier.producer.ProducerConfig;
import dev.courier.producer.ProducerRecord;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.SendOutcome;
import dev.courier.producer.serialization.StringSerializer;
import dev.courier.producer.spring.metrics.SendTimer;
import dev.courier.test.EmbeddedKafka;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Signal;

/**
 * {@link ProducerTemplate#sendAll} between Reactor streams (through the JDK Flow adapters) and a real broker, with
 * the send timer observing and a listener told; read back with the official consumer.
 */
class ProducerTemplateSendAllIntegrationTests {

    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();
    private static final Duration AWAIT = Duration.ofSeconds(120);
    private static final int MAX_BUFFERED_RECORDS = 2_000;

    private final AtomicReference<CourierProducer<String, String>> courier = new AtomicReference<>();
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> listened = new CopyOnWriteArrayList<>();
    private ManagedProducer<String, String> managed;

    /** 64 KiB of buffer memory (four batches) and a record limit: the stream must wait for room, often. */
    private ProducerTemplate<String, String> template() {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                ProducerConfig.CLIENT_ID, "send-all", ProducerConfig.BUFFER_MEMORY, 64 * 1024,
                ProducerConfig.MAX_BUFFERED_RECORDS, MAX_BUFFERED_RECORDS);
        managed = new ManagedProducer<>(() -> {
            CourierProducer<String, String> producer = new CourierProducer<>(config, new StringSerializer(),
                    new StringSerializer());
            courier.set(producer);
            return producer;
        }, "send-all", ShutdownMode.GRACEFUL, Duration.ofSeconds(30));
        managed.start();
        ProducerListener<String, String> listener = new ProducerListener<>() {
            @Override
            public void onSuccess(ProducerRecord<String, String> record, RecordMetadata metadata) {
                listened.add(record.value());
            }
        };
        return new ProducerTemplate<>(managed, null, listener, List.of(new SendTimer(registry, "send-all")));
    }

    @AfterEach
    void stop() {
        if (managed != null) {
            managed.stop();
        }
    }

    private static String topic(String prefix) {
        String topic = kafka.uniqueTopic(prefix);
        kafka.createTopic(topic, 1, 1);
        return topic;
    }

    @Test
    void fiftyThousandRecordsFromAFluxArriveInOrderEachObservedAndToldToTheListenerWithoutAskingForMoreThanFits() {
        int count = 50_000;
        String topic = topic("send-all");
        ProducerTemplate<String, String> template = template();
        List<String> overAsked = new CopyOnWriteArrayList<>();
        Flux<ProducerRecord<String, String>> records = Flux.range(0, count)
                .map(i -> new ProducerRecord<String, String>(topic, "r" + i))
                .doOnRequest(n -> {
                    long room = courier.get().capacity().records();
                    if (n > room) {
                        overAsked.add("requested " + n + " with room for " + room);
                    }
                });

        List<SendOutcome<String, String>> outcomes = JdkFlowAdapter.flowPublisherToFlux(
                template.sendAll(JdkFlowAdapter.publisherToFlowPublisher(records))).collectList().block(AWAIT);

        assertThat(outcomes).hasSize(count).allSatisfy(o -> assertThat(o.exception()).isNull());
        assertThat(outcomes).extracting(o -> o.record().value()).containsExactlyElementsOf(values(count));
        assertThat(outcomes).extracting(o -> o.metadata().offset())
                .containsExactlyElementsOf(IntStream.range(0, count).mapToObj(i -> (long) i).toList());
        assertThat(overAsked).as("demand beyond max.buffered.records").isEmpty();
        assertThat(listened).containsExactlyElementsOf(values(count));
        assertThat(timer(topic, "success").count()).isEqualTo(count);
        assertThat(courier.get().status().failed()).as("nothing failed for lack of room").isZero();
        assertThat(kafka.consume(topic, count, AWAIT)).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactlyElementsOf(values(count));
    }

    @Test
    void cancellingMidStreamStopsTheRecordsAndEndsEveryObservationOnce() {
        String topic = topic("send-all-cancel");
        ProducerTemplate<String, String> template = template();
        AtomicLong generated = new AtomicLong();
        Flux<ProducerRecord<String, String>> endless = Flux.range(0, Integer.MAX_VALUE)
                .doOnNext(i -> generated.incrementAndGet())
                .map(i -> new ProducerRecord<>(topic, "r" + i));

        List<SendOutcome<String, String>> first = JdkFlowAdapter.flowPublisherToFlux(
                        template.sendAll(JdkFlowAdapter.publisherToFlowPublisher(endless)))
                .take(1_000).collectList().block(AWAIT);

        assertThat(first).extracting(o -> o.record().value()).containsExactlyElementsOf(values(1_000));
        assertThat(first).allSatisfy(o -> assertThat(o.isSuccess()).isTrue());
        managed.flush();
        long received = generated.get();
        assertThat(received).as("at most maxOutstanding records beyond those taken")
                .isBetween(1_000L, 1_000L + dev.courier.producer.ProducerProcessor.DEFAULT_MAX_OUTSTANDING);
        // Published outcomes ended as successes; the rest, cancelled, as failures: each observation once.
        assertThat(timer(topic, "success").count()).isEqualTo(1_000);
        assertThat(timer(topic, "success").count() + timer(topic, "failure").count()).isEqualTo(received);
        assertThat(listened).containsExactlyElementsOf(values(1_000));
        assertThat(courier.get().status().failed()).isZero();
    }

    @Test
    void anUpstreamErrorReachesTheSubscriberAfterTheOutcomeOfEveryEarlierRecord() {
        String topic = topic("send-all-error");
        ProducerTemplate<String, String> template = template();
        IllegalArgumentException broken = new IllegalArgumentException("the source broke");
        Flux<ProducerRecord<String, String>> records = Flux.range(0, 100)
                .map(i -> new ProducerRecord<String, String>(topic, "r" + i))
                .concatWith(Flux.error(broken));

        List<Signal<SendOutcome<String, String>>> signals = JdkFlowAdapter.flowPublisherToFlux(
                template.sendAll(JdkFlowAdapter.publisherToFlowPublisher(records))).materialize()
                .collectList().block(AWAIT);

        assertThat(signals).hasSize(101);
        assertThat(signals.subList(0, 100)).extracting(s -> s.get().record().value())
                .containsExactlyElementsOf(values(100));
        assertThat(signals.subList(0, 100)).allSatisfy(s -> assertThat(s.get().isSuccess()).isTrue());
        assertThat(signals.get(100).getThrowable()).isSameAs(broken);
        assertThat(kafka.consume(topic, 100, AWAIT)).hasSize(100);
    }

    private Timer timer(String topic, String outcome) {
        Timer timer = registry.find(SendTimer.NAME).tag("topic", topic).tag("outcome", outcome).timer();
        return timer != null ? timer : Timer.builder("absent").register(new SimpleMeterRegistry());
    }

    private static List<String> values(int count) {
        return IntStream.range(0, count).mapToObj(i -> "r" + i).toList();
    }
}
