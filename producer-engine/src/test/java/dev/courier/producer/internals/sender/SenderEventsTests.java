package dev.courier.producer.internals.sender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.DeliveryTimings;
import dev.courier.producer.ProducerEventListener;
import dev.courier.producer.ProducerEventListener.BatchCompleted;
import dev.courier.producer.ProducerEventListener.BatchSplit;
import dev.courier.producer.ProducerEventListener.EpochBump;
import dev.courier.producer.ProducerEventListener.Outcome;
import dev.courier.producer.ProducerEventListener.Retry;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.internals.accumulator.PendingRecords;
import dev.courier.producer.internals.events.RecordingListener;
import dev.courier.producer.internals.metadata.TestMetadata;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.protocol.ApiKey;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.protocol.InitProducerIdResponse;
import dev.courier.producer.internals.util.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code event.listeners}: the sender stepped by hand tells its listeners of retries, epoch bumps, batches
 * completed and split, with what the deciding code knew; and a listener that throws changes nothing.
 */
class SenderEventsTests {

    private static final Duration AWAIT = Duration.ofSeconds(5);
    private static final TopicPartition T0 = new TopicPartition("t", 0);
    private static final dev.courier.producer.TopicPartition PUBLIC_T0 =
            new dev.courier.producer.TopicPartition("t", 0);
    private static final long PRODUCER_ID = 4711;

    private final ManualTime time = new ManualTime();
    private final RecordingListener listener = new RecordingListener();
    private SenderHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private void start(Object... keysAndValues) {
        List<Object> config = new ArrayList<>(List.of("event.listeners", List.of(listener)));
        config.addAll(List.of(keysAndValues));
        harness = SenderHarness.start(SenderHarness.config(config.toArray()), time, new PendingRecords(),
                TestMetadata.cluster(1).topic("t", 1), null);
    }

    private void step() {
        harness.sender().runOnce();
    }

    private void advance(long ms) {
        time.sleep(ms);
        step();
    }

    private CompletableFuture<RecordMetadata> send(String value) {
        return harness.append(T0, value, time.milliseconds());
    }

    /** Sends a record whose first attempt fails with {@code error} and whose second succeeds at {@code offset}. */
    private CompletableFuture<RecordMetadata> sendRetriedOnceAfter(Errors error, long offset) {
        CompletableFuture<RecordMetadata> future = send("a");
        step();
        harness.client().respond(SenderHarness.answer(error, -1));
        step();
        advance(1200); // past the retry backoff (1000 ms, 20 % jitter)
        harness.client().respond(SenderHarness.answer(Errors.NONE, offset));
        step();
        return future;
    }

    @Test
    void aRetryIsReportedWithItsAttemptErrorAndBackoffThenTheBatchWithItsAttemptsAndTimings() {
        start("delivery.timings.enable", true);
        CompletableFuture<RecordMetadata> future = send("a");
        step();
        harness.client().respond(SenderHarness.answer(Errors.NOT_LEADER_OR_FOLLOWER, -1));
        step();

        assertThat(listener.kinds()).containsExactly("Retry");
        Retry retry = listener.of(Retry.class).get(0);
        assertThat(retry.topicPartition()).isEqualTo(PUBLIC_T0);
        assertThat(retry.recordCount()).isEqualTo(1);
        assertThat(retry.attempt()).isEqualTo(1);
        assertThat(retry.error()).isEqualTo("NOT_LEADER_OR_FOLLOWER");
        assertThat(retry.backoffMs()).isBetween(800L, 1200L);

        advance(1200);
        time.sleep(4);
        harness.client().respond(SenderHarness.answer(Errors.NONE, 10));
        step();
        assertThat(future).succeedsWithin(AWAIT);

        assertThat(listener.kinds()).containsExactly("Retry", "BatchCompleted");
        BatchCompleted completed = listener.of(BatchCompleted.class).get(0);
        assertThat(completed.topicPartition()).isEqualTo(PUBLIC_T0);
        assertThat(completed.recordCount()).isEqualTo(1);
        assertThat(completed.bytes()).isPositive();
        assertThat(completed.attempts()).isEqualTo(2);
        assertThat(completed.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(completed.error()).isNull();
        assertThat(completed.timings()).isEqualTo(new DeliveryTimings(0, 0, 0, 1200, 4, 2));
        assertThat(future.join().timings()).isSameAs(completed.timings());
    }

    @Test
    void aBatchThatFailsForGoodIsReportedFailedWithItsError() {
        start();
        CompletableFuture<RecordMetadata> future = send("a");
        step();
        harness.client().respond(SenderHarness.answer(Errors.INVALID_RECORD, -1));
        step();
        assertThat(future).failsWithin(AWAIT);

        BatchCompleted completed = listener.of(BatchCompleted.class).get(0);
        assertThat(completed.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(completed.attempts()).isEqualTo(1);
        assertThat(completed.error()).isNotNull();
        assertThat(completed.timings()).as("timings are off").isNull();
        assertThat(listener.kinds()).containsExactly("BatchCompleted");
    }

    @Test
    void aBatchRefusedAsTooLargeIsReportedSplit() {
        start();
        send("a");
        send("b");
        step();
        harness.client().respond(SenderHarness.answer(Errors.MESSAGE_TOO_LARGE, -1));
        step();

        assertThat(listener.of(BatchSplit.class)).containsExactly(new BatchSplit(PUBLIC_T0, 2, 2));
        assertThat(listener.kinds()).doesNotContain("BatchCompleted", "Retry");
    }

    @Test
    void anEpochBumpIsReportedWithTheOldAndNewEpochAndWhy() {
        start("enable.idempotence", true, "acks", "all");
        harness.client().prepareResponse(ApiKey.INIT_PRODUCER_ID,
                new InitProducerIdResponse(0, (short) 0, PRODUCER_ID, (short) 0));
        step();
        CompletableFuture<RecordMetadata> future = sendRetriedOnceAfter(Errors.UNKNOWN_PRODUCER_ID, 1);
        assertThat(future).succeedsWithin(AWAIT);

        List<EpochBump> bumps = listener.of(EpochBump.class);
        assertThat(bumps).hasSize(1);
        assertThat(bumps.get(0).producerId()).isEqualTo(PRODUCER_ID);
        assertThat(bumps.get(0).oldEpoch()).isEqualTo((short) 0);
        assertThat(bumps.get(0).newEpoch()).isEqualTo((short) 1);
        assertThat(bumps.get(0).reason()).contains("UNKNOWN_PRODUCER_ID", "t-0");
        assertThat(listener.kinds()).containsExactly("Retry", "EpochBump", "BatchCompleted");
    }

    @Test
    void aListenerThatThrowsDoesNotStopDeliveryNorTheListenersAfterIt() {
        AtomicInteger calls = new AtomicInteger();
        ProducerEventListener throwing = new ProducerEventListener() {
            @Override
            public void onRetry(Retry retry) {
                calls.incrementAndGet();
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onBatchCompleted(BatchCompleted batch) {
                calls.incrementAndGet();
                throw new IllegalStateException("listener bug");
            }
        };
        harness = SenderHarness.start(SenderHarness.config("event.listeners", List.of(throwing, listener)), time,
                new PendingRecords(), TestMetadata.cluster(1).topic("t", 1), null);
        CompletableFuture<RecordMetadata> first = sendRetriedOnceAfter(Errors.NOT_LEADER_OR_FOLLOWER, 5);
        CompletableFuture<RecordMetadata> second = send("b");
        step();
        harness.client().respond(SenderHarness.answer(Errors.NONE, 6));
        step();

        assertThat(first).succeedsWithin(AWAIT).extracting(RecordMetadata::offset).isEqualTo(5L);
        assertThat(second).succeedsWithin(AWAIT).extracting(RecordMetadata::offset).isEqualTo(6L);
        assertThat(calls).hasValue(3);
        assertThat(listener.kinds()).containsExactly("Retry", "BatchCompleted", "BatchCompleted");
        assertThat(harness.runtime().outcomes().counts().acknowledged()).isEqualTo(2);
    }
}
