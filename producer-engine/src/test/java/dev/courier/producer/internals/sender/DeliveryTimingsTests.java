package dev.courier.producer.internals.sender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.DeliveryTimings;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.internals.accumulator.PendingRecords;
import dev.courier.producer.internals.metadata.TestMetadata;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.protocol.ApiKey;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.util.ManualTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code delivery.timings.enable}: the sender stepped by hand on a manual clock, so every phase of a record's
 * delivery has an exact, scripted length. Topic {@code t} has one partition, led by broker 0.
 */
class DeliveryTimingsTests {

    private static final Duration AWAIT = Duration.ofSeconds(5);
    private static final TopicPartition T0 = new TopicPartition("t", 0);

    private final ManualTime time = new ManualTime();
    private final PendingRecords pending = new PendingRecords();
    private SenderHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private void start(boolean timings) {
        harness = SenderHarness.start(SenderHarness.config("linger.ms", 100, "delivery.timings.enable", timings,
                "delivery.timeout.ms", 60_000, "request.timeout.ms", 30_000), time, pending,
                TestMetadata.cluster(1).topic("t", 1), null);
    }

    private void advance(long ms) {
        time.sleep(ms);
        harness.sender().runOnce();
    }

    private static DeliveryTimings timingsOf(CompletableFuture<RecordMetadata> future) {
        assertThat(future).succeedsWithin(AWAIT);
        return future.join().timings();
    }

    @Test
    void aRetriedRecordSaysHowLongItLingeredQueuedRetriedAndWasOnTheWire() {
        start(true);
        CompletableFuture<RecordMetadata> future = harness.append(T0, "a", time.milliseconds());
        harness.client().setReady(0, false);
        advance(100); // linger.ms is over, but the node cannot take it
        advance(50);
        assertThat(harness.client().requests(ApiKey.PRODUCE)).isEmpty();
        harness.client().setReady(0, true);
        advance(0); // first attempt: 100 ms lingering, 50 ms queued
        assertThat(harness.client().requests(ApiKey.PRODUCE)).hasSize(1);

        time.sleep(20);
        harness.client().respond(SenderHarness.answer(Errors.NOT_LEADER_OR_FOLLOWER, -1));
        advance(0);
        advance(1200); // the retry backoff (1000 ms, 20 % jitter) is over: the second attempt goes
        assertThat(harness.client().requests(ApiKey.PRODUCE)).hasSize(2);
        time.sleep(30);
        harness.client().respond(SenderHarness.answer(Errors.NONE, 7));
        advance(0);

        // retries: from the first request (t+150) to the second (t+150+20+1200)
        assertThat(timingsOf(future)).isEqualTo(new DeliveryTimings(0, 100, 50, 1220, 30, 2));
        assertThat(future.join().offset()).isEqualTo(7);
    }

    @Test
    void aFullBatchStopsLingeringWhenItIsSent() {
        harness = SenderHarness.start(SenderHarness.config("linger.ms", 100, "batch.size", 16,
                "delivery.timings.enable", true), time, pending, TestMetadata.cluster(1).topic("t", 1), null);
        advance(0);
        time.sleep(5);
        CompletableFuture<RecordMetadata> full = harness.append(T0, "a record larger than the batch size",
                time.milliseconds());
        time.sleep(15);
        advance(0);
        time.sleep(3);
        harness.client().respond(SenderHarness.answer(Errors.NONE, 0));
        advance(0);

        assertThat(timingsOf(full)).isEqualTo(new DeliveryTimings(0, 15, 0, 0, 3, 1));
    }

    @Test
    void aRecordThatWaitedForMetadataSaysHowLongAndSharesTheRestWithItsBatch() throws Exception {
        start(true);
        CompletableFuture<RecordMetadata> waited = new CompletableFuture<>();
        harness.runtime().pool().reserve(100, 0);
        pending.add(new PendingRecords.Pending("u", null, 0, null, "v", null, new byte[10], List.of(), waited, null,
                100, time.monotonicMs()));
        advance(40);
        TestMetadata.cluster(1).topic("t", 1).topic("u", 1).applyTo(harness.runtime().metadata(), time.monotonicMs());
        advance(0); // joins a batch of u-0 after 40 ms
        CompletableFuture<RecordMetadata> direct = harness.append(new TopicPartition("u", 0), "w", time.milliseconds());
        advance(100);
        time.sleep(2);
        harness.client().respond(SenderHarness.answer(Errors.NONE, 0));
        advance(0);

        assertThat(timingsOf(waited)).isEqualTo(new DeliveryTimings(40, 100, 0, 0, 2, 1));
        assertThat(timingsOf(direct)).isEqualTo(new DeliveryTimings(0, 100, 0, 0, 2, 1));
    }

    @Test
    void withTimingsOffRecordsCarryNone() {
        start(false);
        CompletableFuture<RecordMetadata> future = harness.append(T0, "a", time.milliseconds());
        advance(100);
        harness.client().respond(SenderHarness.answer(Errors.NONE, 3));
        advance(0);

        assertThat(future).succeedsWithin(AWAIT);
        assertThat(future.join()).isEqualTo(new RecordMetadata("t", 0, 3, future.join().timestamp()));
        assertThat(future.join().timings()).isNull();
    }
}
