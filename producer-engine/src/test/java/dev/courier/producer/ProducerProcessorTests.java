package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

/**
 * {@link ProducerProcessor}'s ordering, demand and termination logic against a fake producer that the test drives:
 * it decides when there is room, and completes records in whatever order the test likes. Upstream is Reactor's
 * {@link TestPublisher}, downstream a {@link StepVerifier}, both through the JDK Flow adapters.
 */
class ProducerProcessorTests {

    private static final Duration AWAIT = Duration.ofSeconds(10);
    private static final String TOPIC = "t";

    /** The fake producer: takes records while {@link #room}, remembers their callbacks, and opens waits for room. */
    private static final class FakeSink implements RecordSink<String, String> {
        final List<ProducerRecord<String, String>> taken = new ArrayList<>();
        final List<Callback> callbacks = new ArrayList<>();
        final List<Long> waitsFor = new ArrayList<>();
        CompletableFuture<Void> roomBack;
        volatile boolean room = true;
        volatile boolean closed;
        /** The producer closes between refusing a record for lack of room and the wait for room. */
        volatile boolean closesBeforeTheWait;

        @Override
        public synchronized long offer(ProducerRecord<String, String> record, Callback callback) {
            if (closed) {
                throw new IllegalStateException("Cannot send after the producer is closed");
            }
            if (!room) {
                return 16_384;
            }
            taken.add(record);
            callbacks.add(callback);
            return 0;
        }

        @Override
        public ProducerCapacity capacity() {
            return new ProducerCapacity(room ? 65_536 : 0, -1);
        }

        @Override
        public synchronized CompletionStage<Void> whenCapacity(long bytes) {
            if (closesBeforeTheWait) {
                throw new IllegalStateException("Cannot wait for capacity after the producer is closed");
            }
            waitsFor.add(bytes);
            roomBack = new CompletableFuture<>();
            return roomBack;
        }

        void succeed(int index) {
            callback(index).onCompletion(new RecordMetadata(TOPIC, 0, index, 0), null);
        }

        void fail(int index, Exception e) {
            callback(index).onCompletion(null, e);
        }

        synchronized Callback callback(int index) {
            return callbacks.get(index);
        }

        synchronized int takenCount() {
            return taken.size();
        }

        void roomIsBack() {
            room = true;
            CompletableFuture<Void> waiting;
            synchronized (this) {
                waiting = roomBack;
            }
            waiting.complete(null);
        }
    }

    private final FakeSink sink = new FakeSink();
    private final TestPublisher<ProducerRecord<String, String>> upstream = TestPublisher.create();

    private Flux<SendOutcome<String, String>> wire(int maxOutstanding) {
        ProducerProcessor<String, String> processor = new ProducerProcessor<>(sink, maxOutstanding);
        JdkFlowAdapter.publisherToFlowPublisher(upstream.flux()).subscribe(processor);
        return JdkFlowAdapter.flowPublisherToFlux(processor);
    }

    private static ProducerRecord<String, String> record(int i) {
        return new ProducerRecord<>(TOPIC, "v" + i);
    }

    private static String valueOf(SendOutcome<String, String> outcome) {
        return outcome.record().value();
    }

    @Test
    void outcomesArePublishedInReceiptOrderWhateverOrderTheRecordsCompleteIn() {
        StepVerifier.create(wire(16).map(o -> valueOf(o) + (o.isSuccess() ? "@" + o.metadata().offset() : "!")))
                .then(() -> upstream.next(record(0), record(1), record(2), record(3)))
                .then(() -> {
                    sink.succeed(3);
                    sink.fail(1, new IllegalArgumentException("no"));
                    sink.succeed(2);
                })
                .expectNoEvent(Duration.ZERO)
                .then(() -> sink.succeed(0))
                .expectNext("v0@0", "v1!", "v2@2", "v3@3")
                .then(upstream::complete)
                .expectComplete()
                .verify(AWAIT);
    }

    @Test
    void outcomesWaitForDownstreamDemandAndTheirNumberBoundsUpstreamDemand() {
        StepVerifier.create(wire(4), 0)
                .then(() -> upstream.assertMinRequested(4).assertMaxRequested(4))
                .then(() -> upstream.next(record(0), record(1), record(2), record(3)))
                .then(() -> {
                    for (int i = 0; i < 4; i++) {
                        sink.succeed(i);
                    }
                })
                .expectNoEvent(Duration.ZERO)
                .then(() -> upstream.assertMaxRequested(0)) // four outcomes buffered: nothing more asked for
                .thenRequest(2)
                .expectNextCount(2)
                .then(() -> upstream.assertMinRequested(2).assertMaxRequested(2))
                .thenCancel()
                .verify(AWAIT);
    }

    @Test
    void aRecordWithoutRoomWaitsWithTheRecordsBehindItAndIsSentWhenRoomIsBack() {
        StepVerifier.create(wire(16).map(ProducerProcessorTests::valueOf))
                .then(() -> upstream.next(record(0)))
                .then(() -> sink.room = false)
                .then(() -> upstream.next(record(1), record(2)))
                .then(() -> {
                    assertThat(sink.takenCount()).isEqualTo(1);
                    assertThat(sink.waitsFor).containsExactly(16_384L);
                })
                .then(sink::roomIsBack)
                .then(() -> {
                    assertThat(sink.taken).extracting(ProducerRecord::value).containsExactly("v0", "v1", "v2");
                    for (int i = 0; i < 3; i++) {
                        sink.succeed(i);
                    }
                })
                .expectNext("v0", "v1", "v2")
                .then(upstream::complete)
                .expectComplete()
                .verify(AWAIT);
    }

    @Test
    void nothingIsRequestedUpstreamWhileTheProducerHasNoRoom() {
        sink.room = false;
        StepVerifier.create(wire(8), 0)
                .then(() -> {
                    upstream.assertMaxRequested(0);
                    assertThat(sink.waitsFor).containsExactly(1L);
                })
                .then(sink::roomIsBack)
                .then(() -> upstream.assertMinRequested(8))
                .thenCancel()
                .verify(AWAIT);
    }

    @Test
    void upstreamCompletionReachesDownstreamOnlyAfterTheLastOutcome() {
        StepVerifier.create(wire(16).map(ProducerProcessorTests::valueOf))
                .then(() -> upstream.next(record(0), record(1)).complete())
                .then(() -> sink.succeed(0))
                .expectNext("v0")
                .expectNoEvent(Duration.ZERO)
                .then(() -> sink.succeed(1))
                .expectNext("v1")
                .expectComplete()
                .verify(AWAIT);
    }

    @Test
    void upstreamErrorReachesDownstreamAfterTheOutcomesOfEverythingReceived() {
        StepVerifier.create(wire(16).map(ProducerProcessorTests::valueOf))
                .then(() -> upstream.next(record(0)).error(new IllegalStateException("source broke")))
                .expectNoEvent(Duration.ZERO)
                .then(() -> sink.succeed(0))
                .expectNext("v0")
                .expectErrorMessage("source broke")
                .verify(AWAIT);
    }

    @Test
    void cancellingDownstreamCancelsUpstreamAndDropsWhatWasNotSent() {
        StepVerifier.create(wire(16))
                .then(() -> sink.room = false)
                .then(() -> upstream.next(record(0)))
                .thenCancel()
                .verify(AWAIT);
        upstream.assertCancelled();
        sink.roomIsBack();
        assertThat(sink.takenCount()).as("the waiting record is dropped, not sent").isZero();
    }

    @Test
    void aNonPositiveRequestIsAnErrorAndCancelsUpstream() {
        ProducerProcessor<String, String> processor = new ProducerProcessor<>(sink, 16);
        JdkFlowAdapter.publisherToFlowPublisher(upstream.flux()).subscribe(processor);
        CompletableFuture<Throwable> error = new CompletableFuture<>();
        processor.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(0);
            }

            @Override
            public void onNext(SendOutcome<String, String> item) {
                error.completeExceptionally(new AssertionError("no item expected"));
            }

            @Override
            public void onError(Throwable throwable) {
                error.complete(throwable);
            }

            @Override
            public void onComplete() {
                error.completeExceptionally(new AssertionError("no completion expected"));
            }
        });
        assertThat(error).succeedsWithin(AWAIT).isInstanceOf(IllegalArgumentException.class);
        upstream.assertCancelled();
    }

    @Test
    void aSecondSubscriberIsRefused() {
        ProducerProcessor<String, String> processor = new ProducerProcessor<>(sink, 16);
        JdkFlowAdapter.flowPublisherToFlux(processor).subscribe();
        StepVerifier.create(JdkFlowAdapter.flowPublisherToFlux(processor))
                .expectErrorMessage("A ProducerProcessor takes one subscriber")
                .verify(AWAIT);
    }

    @Test
    void aRecordThatCannotWaitForRoomBecauseTheProducerClosedEndsWithThatErrorAndSoDoesTheStream() {
        StepVerifier.create(wire(16))
                .then(() -> sink.room = false)
                .then(() -> sink.closesBeforeTheWait = true)
                .then(() -> upstream.next(record(0)))
                .assertNext(o -> assertThat(o.exception()).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("Cannot wait for capacity"))
                .expectError(IllegalStateException.class)
                .verify(AWAIT);
        upstream.assertCancelled();
    }

    @Test
    void aClosedProducerEndsTheRecordAndTheStreamAfterTheEarlierOutcomes() {
        StepVerifier.create(wire(16))
                .then(() -> upstream.next(record(0)))
                .then(() -> sink.closed = true)
                .then(() -> upstream.next(record(1)))
                .then(() -> sink.succeed(0))
                .assertNext(o -> assertThat(o.isSuccess()).isTrue())
                .assertNext(o -> assertThat(o.exception()).isInstanceOf(IllegalStateException.class))
                .expectError(IllegalStateException.class)
                .verify(AWAIT);
        upstream.assertCancelled();
    }

    /**
     * The fake producer of a busy system: completes records on two other threads in shuffled order, and now and
     * then has no room, which comes back on yet another thread.
     */
    private static final class ConcurrentSink implements RecordSink<String, String> {
        final ExecutorService completions = Executors.newFixedThreadPool(2);
        final ExecutorService roomThread = Executors.newSingleThreadExecutor();
        final AtomicLong offers = new AtomicLong();

        @Override
        public long offer(ProducerRecord<String, String> record, Callback callback) {
            if (offers.incrementAndGet() % 7 == 0) {
                return 100; // no room this time
            }
            int delayMicros = ThreadLocalRandom.current().nextInt(50);
            completions.execute(() -> {
                LockSupport.parkNanos(delayMicros * 1_000L);
                callback.onCompletion(new RecordMetadata(TOPIC, 0, Long.parseLong(record.value()), 0), null);
            });
            return 0;
        }

        @Override
        public ProducerCapacity capacity() {
            return new ProducerCapacity(1_000, -1);
        }

        @Override
        public CompletionStage<Void> whenCapacity(long bytes) {
            return CompletableFuture.runAsync(() -> { }, roomThread);
        }

        void shutdown() {
            completions.shutdownNow();
            roomThread.shutdownNow();
        }
    }

    @Test
    void outcomesStayInOrderWhenRecordsCompleteAndRoomComesBackOnOtherThreads() {
        int count = 20_000;
        ConcurrentSink busy = new ConcurrentSink();
        try {
            ProducerProcessor<String, String> processor = new ProducerProcessor<>(busy, 64);
            JdkFlowAdapter.publisherToFlowPublisher(Flux.range(0, count)
                    .map(i -> new ProducerRecord<String, String>(TOPIC, Integer.toString(i)))
                    .publishOn(Schedulers.parallel(), 16)).subscribe(processor);

            List<SendOutcome<String, String>> outcomes = JdkFlowAdapter.flowPublisherToFlux(processor)
                    .limitRate(10) // small downstream requests, from Reactor's threads
                    .collectList().block(Duration.ofSeconds(60));

            assertThat(outcomes).hasSize(count);
            for (int i = 0; i < count; i++) {
                assertThat(outcomes.get(i).metadata().offset()).isEqualTo(i);
            }
        } finally {
            busy.shutdown();
        }
    }
}
