package dev.courier.producer.internals.sender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.RecordMetadata;
import dev.courier.producer.errors.RecordPurgedException;
import dev.courier.producer.internals.ProducerRuntime;
import dev.courier.producer.internals.accumulator.PendingRecords;
import dev.courier.producer.internals.metadata.TestMetadata;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.network.ClientRequest;
import dev.courier.producer.internals.network.MockClient;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.protocol.ProduceRequest;
import dev.courier.producer.internals.protocol.ProduceResponse;
import dev.courier.producer.internals.util.ManualTime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code purge()} on the sender stepped by hand (as in {@link SenderTests}): what is buffered and never sent
 * fails with {@link RecordPurgedException}, what is in flight or queued for a retry is left alone.
 */
class PurgeTests {

    private static final String TOPIC = "t";
    private static final Duration AWAIT = Duration.ofSeconds(5);

    private final ManualTime time = new ManualTime();
    private final PendingRecords pending = new PendingRecords();
    private MockClient client;
    private SenderHarness harness;
    private ProducerRuntime runtime;
    private Sender sender;

    private void start(Object... keysAndValues) {
        Map<String, Object> config = SenderHarness.config("max.in.flight.requests.per.connection", 1);
        config.putAll(SenderHarness.config(keysAndValues));
        harness = SenderHarness.start(config, time, pending, TestMetadata.cluster(3).topic(TOPIC, 6), null);
        client = harness.client();
        runtime = harness.runtime();
        sender = harness.sender();
    }

    @AfterEach
    void stopDispatcher() {
        if (harness != null) {
            harness.close();
        }
    }

    private CompletableFuture<RecordMetadata> send(int partition, String value) {
        CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
        try {
            runtime.accumulator().append(new TopicPartition(TOPIC, partition), time.milliseconds(), null,
                    value.getBytes(StandardCharsets.UTF_8), List.of(), future, null, 0);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return future;
    }

    /** Asks for a purge, steps the sender once (which serves it first thing) and returns the count. */
    private int purge() {
        CompletableFuture<Integer> purged = sender.requestPurge();
        assertThat(purged).as("served at the start of the next turn, not before").isNotDone();
        sender.runOnce();
        assertThat(purged).isDone();
        return purged.join();
    }

    private static Function<ClientRequest, Object> answer(Errors error, long baseOffset) {
        return request -> {
            List<ProduceResponse.TopicResponse> topics = new ArrayList<>();
            for (ProduceRequest.TopicData topic : ((ProduceRequest) request.body()).topics()) {
                topics.add(new ProduceResponse.TopicResponse(topic.name(), null, topic.partitions().stream()
                        .map(p -> new ProduceResponse.PartitionResponse(p.partition(), error.code(), baseOffset, -1, -1,
                                List.of(), null, -1, -1)).toList()));
            }
            return new ProduceResponse(topics, 0, List.of());
        };
    }

    @Test
    void queuedBatchesNeverSentArePurgedAndTheBatchInFlightIsLeftAlone() {
        start();
        CompletableFuture<RecordMetadata> inFlight = send(0, "a");
        sender.runOnce();
        assertThat(client.inFlightRequestCount()).isEqualTo(1);
        // Partition 0 waits behind its batch in flight (one request per connection); partition 3 has the same leader.
        CompletableFuture<RecordMetadata> queued1 = send(0, "b");
        CompletableFuture<RecordMetadata> queued2 = send(0, "c");
        CompletableFuture<RecordMetadata> queued3 = send(3, "d");

        assertThat(purge()).isEqualTo(3);

        for (CompletableFuture<RecordMetadata> queued : List.of(queued1, queued2, queued3)) {
            assertThat(queued).failsWithin(AWAIT).withThrowableOfType(Exception.class)
                    .withCauseInstanceOf(RecordPurgedException.class)
                    .withMessageContaining("purged before it was sent");
        }
        assertThat(inFlight).isNotDone();
        client.respond(answer(Errors.NONE, 7));
        sender.runOnce();
        assertThat(inFlight).succeedsWithin(AWAIT).extracting(RecordMetadata::offset).isEqualTo(7L);
        assertThat(runtime.outcomes().counts().purged()).isEqualTo(3);
        assertThat(runtime.outcomes().counts().abortedBeforeSend()).isEqualTo(3);
        assertThat(runtime.outcomes().counts().acknowledged()).isEqualTo(1);
        assertThat(runtime.pool().availableMemory()).isEqualTo(runtime.pool().totalMemory());
    }

    @Test
    void aBatchQueuedForARetryIsLeftAloneAndAFreshOneBehindItIsPurged() {
        start();
        CompletableFuture<RecordMetadata> retried = send(0, "a");
        sender.runOnce();
        client.respond(answer(Errors.NOT_LEADER_OR_FOLLOWER, -1));
        sender.runOnce();
        CompletableFuture<RecordMetadata> fresh = send(0, "b");

        assertThat(purge()).isEqualTo(1);

        assertThat(fresh).failsWithin(AWAIT).withThrowableOfType(Exception.class)
                .withCauseInstanceOf(RecordPurgedException.class);
        time.sleep(1200);
        sender.runOnce();
        client.respond(answer(Errors.NONE, 11));
        sender.runOnce();
        assertThat(retried).succeedsWithin(AWAIT).extracting(RecordMetadata::offset).isEqualTo(11L);
        assertThat(runtime.pool().availableMemory()).isEqualTo(runtime.pool().totalMemory());
    }

    @Test
    void recordsWaitingForMetadataArePurgedAndGiveTheirMemoryBack() throws Exception {
        start();
        List<CompletableFuture<RecordMetadata>> waiting = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
            runtime.pool().reserve(100, 0);
            pending.add(new PendingRecords.Pending("unknown-topic", null, 0, null, "v", null, new byte[10], List.of(),
                    future, null, 100, time.monotonicMs()));
            waiting.add(future);
        }

        assertThat(purge()).isEqualTo(2);

        for (CompletableFuture<RecordMetadata> future : waiting) {
            assertThat(future).failsWithin(AWAIT).withThrowableOfType(Exception.class)
                    .withCauseInstanceOf(RecordPurgedException.class)
                    .withMessageContaining("unknown-topic");
        }
        assertThat(pending.isEmpty()).isTrue();
        assertThat(runtime.outcomes().counts().purged()).isEqualTo(2);
        assertThat(runtime.pool().availableMemory()).isEqualTo(runtime.pool().totalMemory());
    }

    @Test
    void nothingBufferedPurgesNothing() {
        start();
        assertThat(purge()).isZero();
        assertThat(runtime.outcomes().counts().toString()).contains("aborted before send 0 (purged 0)");
    }

    @Test
    void withMaxBufferedRecordsPurgedRecordsGiveTheirSlotsBack() throws Exception {
        start("max.buffered.records", 2);
        runtime.recordLimit().acquire(0);
        runtime.recordLimit().acquire(0);
        assertThat(runtime.recordLimit().availableWithoutWaiting()).isZero();
        send(0, "a");
        send(1, "b");

        assertThat(purge()).isEqualTo(2);

        assertThat(runtime.recordLimit().availableWithoutWaiting()).isEqualTo(2);
    }
}
