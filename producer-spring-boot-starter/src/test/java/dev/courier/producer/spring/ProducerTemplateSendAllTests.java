package dev.courier.producer.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.courier.producer.CourierProducer;
import dev.courier.producer.ProducerConfig;
import dev.courier.producer.ProducerRecord;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.SendOutcome;
import dev.courier.producer.errors.BufferExhaustedException;
import dev.courier.producer.errors.ProducerClosedException;
import dev.courier.producer.serialization.StringSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ProducerTemplate#sendAll} and {@code trySend} without a broker: records wait for metadata that never
 * comes, so they hold the producer's room until a forced stop fails them.
 */
class ProducerTemplateSendAllTests {

    private static final Duration AWAIT = Duration.ofSeconds(30);

    private final AtomicReference<CourierProducer<String, String>> courier = new AtomicReference<>();
    private ManagedProducer<String, String> managed;

    /** A managed producer that never reaches a broker, with at most {@code maxBufferedRecords} records pending. */
    private ManagedProducer<String, String> unreachable(int maxBufferedRecords) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS, "localhost:1",
                ProducerConfig.CLIENT_ID, "send-all", ProducerConfig.MAX_BUFFERED_RECORDS, maxBufferedRecords);
        managed = new ManagedProducer<>(() -> {
            CourierProducer<String, String> producer = new CourierProducer<>(config, new StringSerializer(),
                    new StringSerializer());
            courier.set(producer);
            return producer;
        }, "send-all", ShutdownMode.FORCED, Duration.ZERO);
        managed.start();
        return managed;
    }

    @AfterEach
    void stop() {
        if (managed != null) {
            managed.stop();
        }
    }

    @Test
    void upstreamDemandNeverExceedsTheRoomTheProducerHasAndStopsAtTheRecordLimit() {
        ProducerTemplate<String, String> template = new ProducerTemplate<>(unreachable(100));
        List<String> overAsked = new CopyOnWriteArrayList<>();
        CountingRecords records = new CountingRecords("orders", Long.MAX_VALUE, n -> {
            long room = courier.get().capacity().records();
            if (n > room) {
                overAsked.add("requested " + n + " with room for " + room);
            }
        });
        Outcomes outcomes = new Outcomes();

        template.sendAll(records).subscribe(outcomes);

        await().atMost(AWAIT).until(() -> courier.get().capacity().records() == 0);
        assertThat(records.requested).as("exactly the record limit was requested").hasValue(100);
        assertThat(records.emitted).hasValue(100);
        assertThat(overAsked).isEmpty();
        assertThat(outcomes.received).isEmpty();

        managed.stop(); // fails the 100 pending records
        outcomes.awaitEnd();
        assertThat(outcomes.received.subList(0, 100)).extracting(o -> o.record().value())
                .containsExactlyElementsOf(values(100));
        assertThat(outcomes.received.subList(0, 100))
                .allSatisfy(o -> assertThat(o.exception()).isInstanceOf(ProducerClosedException.class));
    }

    @Test
    void observersAndTheListenerSeeEveryRecordOnceInOrderAndTheObserversHeadersAreSent() {
        Recording recording = new Recording();
        ProducerTemplate<String, String> template = new ProducerTemplate<>(unreachable(10), null, recording,
                List.of(recording));
        Outcomes outcomes = new Outcomes();

        template.sendAll(new CountingRecords("orders", 10, n -> { })).subscribe(outcomes);
        await().atMost(AWAIT).until(() -> recording.started.size() == 10);
        assertThat(recording.ended).as("nothing has an outcome yet").isEmpty();
        managed.stop();

        assertThat(outcomes.awaitEnd()).as("the records completed: the stream completes").isNull();
        assertThat(outcomes.received).extracting(o -> o.record().value()).containsExactlyElementsOf(values(10));
        assertThat(outcomes.received).allSatisfy(o -> assertThat(new String(o.record().headers().get(0).value(),
                StandardCharsets.UTF_8)).isEqualTo("seen"));
        assertThat(recording.started).containsExactlyElementsOf(values(10));
        assertThat(recording.ended).hasSize(10)
                .allSatisfy(e -> assertThat(e).isInstanceOf(ProducerClosedException.class));
        assertThat(recording.listenerErrors).containsExactlyElementsOf(values(10));
    }

    @Test
    void cancellingEndsTheObservationOfEveryRecordWhoseOutcomeWasNotPublishedAndTellsTheListenerNothing() {
        Recording recording = new Recording();
        ProducerTemplate<String, String> template = new ProducerTemplate<>(unreachable(50), null, recording,
                List.of(recording));
        CountingRecords records = new CountingRecords("orders", Long.MAX_VALUE, n -> { });
        Outcomes outcomes = new Outcomes();

        template.sendAll(records).subscribe(outcomes);
        await().atMost(AWAIT).until(() -> courier.get().capacity().records() == 0);
        outcomes.subscription.cancel();

        assertThat(records.cancelled).isTrue();
        assertThat(recording.started).hasSize(50);
        assertThat(recording.ended).hasSize(50)
                .allSatisfy(e -> assertThat(e).isInstanceOf(CancellationException.class));
        managed.stop(); // the producer fails the records it holds; their observations ended already
        assertThat(recording.ended).hasSize(50);
        assertThat(recording.listenerErrors).isEmpty();
        assertThat(outcomes.received).isEmpty();
    }

    @Test
    void sendAllAfterShutdownIsRefused() {
        ProducerTemplate<String, String> template = new ProducerTemplate<>(unreachable(10));
        managed.stop();

        assertThatThrownBy(() -> template.sendAll(new CountingRecords("orders", 1, n -> { })))
                .isInstanceOf(ProducerStoppedException.class)
                .hasMessageContaining("the stream of records was not accepted");
    }

    @Test
    void trySendWithoutRoomFailsWithBufferExhaustedAndIsReportedLikeSend() {
        Recording recording = new Recording();
        ProducerTemplate<String, String> template = new ProducerTemplate<>(unreachable(1), null, recording,
                List.of(recording));

        CompletableFuture<SendResult<String, String>> taken = template.trySend(new ProducerRecord<>("orders", "r0"));
        CompletableFuture<SendResult<String, String>> refused = template.trySend(new ProducerRecord<>("orders", "r1"));

        assertThatThrownBy(() -> refused.get(AWAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                .hasCauseInstanceOf(BufferExhaustedException.class);
        assertThat(taken).isNotDone();
        assertThat(recording.listenerErrors).containsExactly("r1");
        assertThat(recording.ended).singleElement().isInstanceOf(BufferExhaustedException.class);
        assertThat(recording.started).containsExactly("r0", "r1");
    }

    private static List<String> values(int count) {
        return IntStream.range(0, count).mapToObj(i -> "r" + i).toList();
    }

    /** Requests everything, keeps every outcome and the end (null for completion, else the error). */
    private static final class Outcomes implements Flow.Subscriber<SendOutcome<String, String>> {
        final List<SendOutcome<String, String>> received = new CopyOnWriteArrayList<>();
        final CompletableFuture<Throwable> end = new CompletableFuture<>();
        volatile Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(SendOutcome<String, String> item) {
            received.add(item);
        }

        @Override
        public void onError(Throwable throwable) {
            end.complete(throwable);
        }

        @Override
        public void onComplete() {
            end.complete(null);
        }

        Throwable awaitEnd() {
            try {
                return end.get(AWAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }
    }

    /** An observer that writes a header, and a listener: what each saw. */
    private static final class Recording implements SendObserver, ProducerListener<String, String> {
        final List<String> started = new CopyOnWriteArrayList<>();
        final List<Exception> ended = new CopyOnWriteArrayList<>();
        final List<String> listenerErrors = new CopyOnWriteArrayList<>();

        @Override
        public Completion onSend(ProducerRecord<?, ?> record) {
            started.add((String) record.value());
            return (metadata, exception) -> ended.add(exception);
        }

        @Override
        public Completion onSend(ProducerRecord<?, ?> record, OutgoingHeaders headers) {
            headers.set("seen", "seen".getBytes(StandardCharsets.UTF_8));
            return onSend(record);
        }

        @Override
        public void onError(ProducerRecord<String, String> record, RecordMetadata metadata, Exception exception) {
            listenerErrors.add(record.value());
        }
    }
}
