package dev.courier.producer.internals.sender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.RecordMetadata;
import dev.courier.producer.errors.RecordTooLargeException;
import dev.courier.producer.internals.ProducerRuntime;
import dev.courier.producer.internals.accumulator.PendingRecords;
import dev.courier.producer.internals.accumulator.ProducerBatch;
import dev.courier.producer.internals.metadata.TestMetadata;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.network.ClientRequest;
import dev.courier.producer.internals.network.MockClient;
import dev.courier.producer.internals.protocol.ApiKey;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.protocol.InitProducerIdResponse;
import dev.courier.producer.internals.protocol.ProduceRequest;
import dev.courier.producer.internals.protocol.ProduceResponse;
import dev.courier.producer.internals.record.DecodedBatch;
import dev.courier.producer.internals.record.RecordBatchReader;
import dev.courier.producer.internals.util.ManualTime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A batch the broker refuses as too large (MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE) is split in two and
 * the halves are sent in its place, in order, keeping its sequences; a single record too large fails.
 * Stepped by hand like {@link SenderTests}: manual clock, {@link MockClient}, topic {@code t} with six
 * partitions on brokers 0..2.
 */
class BatchSplitTests {

    private static final String TOPIC = "t";
    private static final long PRODUCER_ID = 4711;
    private static final Duration AWAIT = Duration.ofSeconds(5);

    record SentBatch(int partition, short epoch, int baseSequence, List<String> values) {
    }

    private final ManualTime time = new ManualTime();
    private final List<SentBatch> sent = new ArrayList<>();
    private MockClient client;
    private SenderHarness harness;
    private ProducerRuntime runtime;
    private Sender sender;

    private void start(Object... keysAndValues) {
        Map<String, Object> config = SenderHarness.config("delivery.timeout.ms", 30_000);
        config.putAll(SenderHarness.config(keysAndValues));
        harness = SenderHarness.start(config, time, new PendingRecords(), TestMetadata.cluster(3).topic(TOPIC, 6),
                this::decode);
        client = harness.client();
        runtime = harness.runtime();
        sender = harness.sender();
    }

    private void startIdempotent() {
        start("enable.idempotence", true, "acks", "all");
        client.prepareResponse(ApiKey.INIT_PRODUCER_ID, new InitProducerIdResponse(0, (short) 0, PRODUCER_ID, (short) 0));
        sender.runOnce();
    }

    @AfterEach
    void stopDispatcher() {
        if (harness != null) {
            harness.close();
        }
    }

    private void decode(ClientRequest request) {
        if (request.body() instanceof ProduceRequest produce) {
            for (ProduceRequest.TopicData topic : produce.topics()) {
                for (ProduceRequest.PartitionData partition : topic.partitions()) {
                    DecodedBatch batch = RecordBatchReader.read(partition.records());
                    sent.add(new SentBatch(partition.partition(), batch.producerEpoch(), batch.baseSequence(),
                            batch.records().stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList()));
                }
            }
        }
    }

    private CompletableFuture<RecordMetadata> send(String value) {
        CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
        try {
            runtime.accumulator().append(new TopicPartition(TOPIC, 0), time.milliseconds(), null,
                    value.getBytes(StandardCharsets.UTF_8), List.of(), future, null, 0);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return future;
    }

    private List<CompletableFuture<RecordMetadata>> sendAll(String... values) {
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        for (String value : values) {
            futures.add(send(value));
        }
        return futures;
    }

    private void step() {
        sender.runOnce();
    }

    private static Function<ClientRequest, Object> answer(Errors error, long baseOffset) {
        return request -> {
            List<ProduceResponse.TopicResponse> topics = new ArrayList<>();
            for (ProduceRequest.TopicData topic : ((ProduceRequest) request.body()).topics()) {
                topics.add(new ProduceResponse.TopicResponse(topic.name(), null, topic.partitions().stream()
                        .map(p -> new ProduceResponse.PartitionResponse(p.partition(), error.code(), baseOffset, -1, -1,
                                List.of(), null, -1, -1))
                        .toList()));
            }
            return new ProduceResponse(topics, 0, List.of());
        };
    }

    private static Function<ClientRequest, Object> ok(long baseOffset) {
        return answer(Errors.NONE, baseOffset);
    }

    private static Function<ClientRequest, Object> tooLarge() {
        return answer(Errors.MESSAGE_TOO_LARGE, -1);
    }

    private static List<Long> offsetsOf(List<CompletableFuture<RecordMetadata>> futures) {
        return futures.stream().map(f -> {
            assertThat(f).succeedsWithin(AWAIT);
            return f.join().offset();
        }).toList();
    }

    private static Throwable failureOf(CompletableFuture<RecordMetadata> future) {
        try {
            future.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("the future did not fail within " + AWAIT, e);
        }
        throw new AssertionError("the future succeeded: " + future.join());
    }

    private double splits() {
        return runtime.metrics().asMap().get("batch-split-total").value();
    }

    private void assertAllMemoryReturned() {
        assertThat(runtime.pool().availableMemory()).isEqualTo(runtime.pool().totalMemory());
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "zstd"})
    void aBatchRefusedAsTooLargeGoesAgainAsTwoHalvesInOrder(String compression) {
        start("compression.type", compression);
        List<CompletableFuture<RecordMetadata>> futures = sendAll("a", "b", "c", "d");
        step();
        client.respond(tooLarge());
        step(); // the answer: split
        step(); // the first half
        step(); // the second, pipelined

        assertThat(sent).extracting(SentBatch::values)
                .containsExactly(List.of("a", "b", "c", "d"), List.of("a", "b"), List.of("c", "d"));
        assertThat(futures).noneMatch(CompletableFuture::isDone);
        client.respond(ok(10));
        client.respond(ok(12));
        step();
        assertThat(offsetsOf(futures)).containsExactly(10L, 11L, 12L, 13L);
        assertThat(splits()).isEqualTo(1);
        assertThat(runtime.outcomes().counts().acknowledged()).isEqualTo(4);
        assertThat(runtime.outcomes().counts().failed()).isZero();
        assertAllMemoryReturned();
    }

    @Test
    void halvesAreSplitAgainUntilTheyFitAndStayInOrderAheadOfLaterBatches() {
        start("max.in.flight.requests.per.connection", 1);
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>(sendAll("a", "b", "c", "d"));
        step();
        futures.add(send("e")); // a later batch, queued behind the refused one
        client.respond(tooLarge());
        step();
        step();
        client.respond(answer(Errors.RECORD_LIST_TOO_LARGE, -1)); // [a, b] too
        step();
        step();
        long offset = 0;
        while (client.inFlightRequestCount() > 0) {
            SentBatch last = sent.get(sent.size() - 1);
            client.respond(ok(offset));
            offset += last.values().size();
            step(); // the answer
            step(); // the next batch
        }

        assertThat(sent).extracting(SentBatch::values).containsExactly(List.of("a", "b", "c", "d"),
                List.of("a", "b"), List.of("a"), List.of("b"), List.of("c", "d"), List.of("e"));
        assertThat(offsetsOf(futures)).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(splits()).isEqualTo(2);
        assertAllMemoryReturned();
    }

    @Test
    void laterRefusedBatchesOfTheTopicAreCutAtOnceIntoPiecesOfAtMostHalfTheSmallestRefusedSize() {
        start("max.in.flight.requests.per.connection", 1);
        String value = "x".repeat(100);
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            futures.add(send(value + i));
        }
        step();
        client.respond(tooLarge()); // 8 records refused: halves, and the topic's smallest refusal is 8 records
        step();
        step();
        client.respond(tooLarge()); // 4 refused: now 4 records' worth is known to be too large
        step();
        step();
        long offset = 0;
        while (client.inFlightRequestCount() > 0) {
            SentBatch last = sent.get(sent.size() - 1);
            client.respond(ok(offset));
            offset += last.values().size();
            step();
            step();
        }
        int sentBefore = sent.size();
        for (int i = 0; i < 8; i++) {
            futures.add(send(value + (8 + i)));
        }
        step();
        client.respond(tooLarge()); // the next full batch is cut into pieces of at most 2 records at once
        step();
        while (client.inFlightRequestCount() > 0 || runtime.accumulator().hasUndrained()) {
            step();
            if (client.inFlightRequestCount() > 0) {
                SentBatch last = sent.get(sent.size() - 1);
                client.respond(ok(offset));
                offset += last.values().size();
                step();
            }
        }

        assertThat(sent.subList(sentBefore + 1, sent.size())).extracting(b -> b.values().size())
                .containsExactly(2, 2, 2, 2);
        assertThat(splits()).isEqualTo(3);
        assertThat(offsetsOf(futures)).isEqualTo(IntStream.range(0, 16).mapToObj(i -> (long) i).toList());
        assertAllMemoryReturned();
    }

    @Test
    void aSingleRecordTooLargeFailsNamingItsSize() {
        start();
        CompletableFuture<RecordMetadata> future = send("x".repeat(500));
        step();
        client.respond(tooLarge());
        step();

        assertThat(failureOf(future)).isInstanceOf(RecordTooLargeException.class)
                .hasMessageContaining("a record in a batch of").hasMessageContaining("bytes")
                .hasMessageContaining("t-0").hasMessageContaining("max.message.bytes");
        assertThat(sent).hasSize(1);
        assertThat(splits()).isZero();
        assertAllMemoryReturned();
    }

    @Test
    void aFlushWaitingOnTheRefusedBatchWaitsForItsHalves() {
        start();
        sendAll("a", "b");
        List<ProducerBatch> beforeSplit = runtime.accumulator().incompleteBatches();
        step();
        client.respond(tooLarge());
        step();
        step();
        step();
        assertThat(beforeSplit).singleElement().satisfies(original -> {
            assertThat(original.finalState()).isEqualTo(ProducerBatch.FinalState.SPLIT);
            assertThat(original.completion()).isNotDone();
        });
        assertThat(runtime.accumulator().incompleteBatches()).hasSize(2).doesNotContainAnyElementsOf(beforeSplit);

        client.respond(ok(0));
        client.respond(ok(1));
        step();
        assertThat(beforeSplit.get(0).completion()).succeedsWithin(AWAIT);
        assertThat(runtime.accumulator().hasIncomplete()).isFalse();
    }

    @Test
    void idempotentHalvesTakeTheRefusedSequencesAndLaterBatchesFollowThem() {
        startIdempotent();
        send("z");
        step();
        client.respond(ok(0)); // the epoch's first batch: pipelining may start behind it
        step();
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>(sendAll("a", "b", "c", "d"));
        step();
        futures.add(send("e"));
        step();
        assertThat(sent.subList(1, 3)).containsExactly(new SentBatch(0, (short) 0, 1, List.of("a", "b", "c", "d")),
                new SentBatch(0, (short) 0, 5, List.of("e")));

        client.respond(tooLarge());
        client.respond(answer(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1)); // its predecessor never arrived
        step();
        step();
        step();
        time.sleep(1200); // "e" backs off as a retry; the halves go at once
        step();
        assertThat(sent.subList(3, sent.size())).containsExactly(
                new SentBatch(0, (short) 0, 1, List.of("a", "b")),
                new SentBatch(0, (short) 0, 3, List.of("c", "d")),
                new SentBatch(0, (short) 0, 5, List.of("e")));
        client.respond(ok(1));
        client.respond(ok(3));
        client.respond(ok(5));
        step();
        assertThat(offsetsOf(futures)).containsExactly(1L, 2L, 3L, 4L, 5L);

        send("f");
        step();
        assertThat(sent.get(sent.size() - 1)).isEqualTo(new SentBatch(0, (short) 0, 6, List.of("f")));
        assertAllMemoryReturnedBut(1);
    }

    @Test
    void theHalvesOfAnEpochsFirstBatchGoOneAfterTheOther() {
        startIdempotent();
        List<CompletableFuture<RecordMetadata>> futures = sendAll("a", "b", "c", "d");
        step();
        client.respond(tooLarge());
        step();
        step();
        step();
        assertThat(sent).containsExactly(new SentBatch(0, (short) 0, 0, List.of("a", "b", "c", "d")),
                new SentBatch(0, (short) 0, 0, List.of("a", "b"))); // the broker may hold no state yet

        client.respond(ok(0));
        step();
        step();
        assertThat(sent.get(sent.size() - 1)).isEqualTo(new SentBatch(0, (short) 0, 2, List.of("c", "d")));
        client.respond(ok(2));
        step();
        assertThat(offsetsOf(futures)).containsExactly(0L, 1L, 2L, 3L);
        assertAllMemoryReturned();
    }

    /** All memory is back except what {@code batches} batches still in flight hold. */
    private void assertAllMemoryReturnedBut(int batches) {
        assertThat(runtime.pool().totalMemory() - runtime.pool().availableMemory())
                .isEqualTo((long) batches * runtime.pool().poolableSize());
    }
}
