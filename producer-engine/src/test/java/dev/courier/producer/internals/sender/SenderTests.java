package dev.courier.producer.internals.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.courier.producer.RecordMetadata;
import dev.courier.producer.errors.BrokerException;
import dev.courier.producer.errors.ProducerClosedException;
import dev.courier.producer.errors.RecordTooLargeException;
import dev.courier.producer.errors.TimeoutException;
import dev.courier.producer.errors.UnsupportedVersionException;
import dev.courier.producer.internals.ProducerRuntime;
import dev.courier.producer.internals.accumulator.PendingRecords;
import dev.courier.producer.internals.accumulator.RecordAccumulator.AppendResult;
import dev.courier.producer.internals.metadata.TestMetadata;
import dev.courier.producer.internals.metadata.Cluster;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The sender stepped by hand: a manual clock, a {@link MockClient} instead of the network, and the engine
 * built by {@link ProducerRuntime#assemble}. Only the callback thread runs; futures are awaited, never slept on.
 *
 * <p>The cluster has brokers 0..2 and topic {@code t} with six partitions, partition p led by broker p % 3.
 * Retry backoff is 1000 ms with Kafka's 20 % jitter, so a retry is due between 800 and 1200 ms.
 */
class SenderTests {

    private static final String TOPIC = "t";
    private static final long PRODUCER_ID = 4711;
    private static final Duration AWAIT = Duration.ofSeconds(5);

    /** One record batch as it went out in a produce request, decoded at send time. */
    record SentBatch(String node, int partition, long producerId, short epoch, int baseSequence, List<String> values) {
    }

    private final ManualTime time = new ManualTime();
    private final List<SentBatch> sent = new ArrayList<>();
    private TestMetadata cluster = TestMetadata.cluster(3).topic(TOPIC, 6);
    private MockClient client;
    private SenderHarness harness;
    private ProducerRuntime runtime;
    private Sender sender;
    private AppendResult lastAppend;

    private void start(Object... keysAndValues) {
        Map<String, Object> config = SenderHarness.config("request.timeout.ms", 10_000, "delivery.timeout.ms", 30_000);
        config.putAll(SenderHarness.config(keysAndValues));
        harness = SenderHarness.start(config, time, new PendingRecords(), cluster, this::decode);
        client = harness.client();
        runtime = harness.runtime();
        sender = harness.sender();
    }

    /** An idempotent producer that already has producer id {@link #PRODUCER_ID}, epoch 0. */
    private void startIdempotent(Object... keysAndValues) {
        List<Object> config = new ArrayList<>(List.of("enable.idempotence", true, "acks", "all"));
        config.addAll(List.of(keysAndValues));
        start(config.toArray());
        client.prepareResponse(ApiKey.INIT_PRODUCER_ID, new InitProducerIdResponse(0, (short) 0, PRODUCER_ID, (short) 0));
        step();
        assertThat(client.requests(ApiKey.INIT_PRODUCER_ID)).hasSize(1);
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
                    List<String> values = batch.records().stream()
                            .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
                    sent.add(new SentBatch(request.destination(), partition.partition(), batch.producerId(),
                            batch.producerEpoch(), batch.baseSequence(), values));
                }
            }
        }
    }

    private CompletableFuture<RecordMetadata> send(int partition, String value) {
        return sendTo(TOPIC, partition, value);
    }

    private CompletableFuture<RecordMetadata> sendTo(String topic, int partition, String value) {
        CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
        try {
            lastAppend = runtime.accumulator().append(new TopicPartition(topic, partition), time.milliseconds(), null,
                    value.getBytes(StandardCharsets.UTF_8), List.of(), future, null, 0);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return future;
    }

    private void step() {
        sender.runOnce();
    }

    private void advance(long ms) {
        time.sleep(ms);
        sender.runOnce();
    }

    private List<ClientRequest> produceRequests() {
        return client.requests(ApiKey.PRODUCE);
    }

    private static Set<Integer> partitionsOf(ClientRequest request) {
        Set<Integer> partitions = new HashSet<>();
        for (ProduceRequest.TopicData topic : ((ProduceRequest) request.body()).topics()) {
            topic.partitions().forEach(p -> partitions.add(p.partition()));
        }
        return partitions;
    }

    private SentBatch lastSent() {
        return sent.get(sent.size() - 1);
    }

    // ---- responses --------------------------------------------------------------------------------

    private static Function<ClientRequest, Object> ok(long baseOffset) {
        return request -> produceResponse(request, Errors.NONE, baseOffset);
    }

    private static Function<ClientRequest, Object> error(Errors error) {
        return request -> produceResponse(request, error, -1);
    }

    private static ProduceResponse produceResponse(ClientRequest request, Errors error, long baseOffset) {
        return produceResponse(request, p -> partitionResponse(p, error, baseOffset, null, -1, -1), List.of());
    }

    private static ProduceResponse.PartitionResponse partitionResponse(int partition, Errors error, long baseOffset,
                                                                       String message, int leaderId, int leaderEpoch) {
        return new ProduceResponse.PartitionResponse(partition, error.code(), baseOffset, -1, -1, List.of(), message,
                leaderId, leaderEpoch);
    }

    private static ProduceResponse produceResponse(ClientRequest request,
                                                   Function<Integer, ProduceResponse.PartitionResponse> answer,
                                                   List<ProduceResponse.NodeEndpoint> endpoints) {
        List<ProduceResponse.TopicResponse> topics = new ArrayList<>();
        for (ProduceRequest.TopicData topic : ((ProduceRequest) request.body()).topics()) {
            topics.add(new ProduceResponse.TopicResponse(topic.name(), null,
                    topic.partitions().stream().map(p -> answer.apply(p.partition())).toList()));
        }
        return new ProduceResponse(topics, 0, endpoints);
    }

    // ---- outcomes ---------------------------------------------------------------------------------

    private static long offsetOf(CompletableFuture<RecordMetadata> future) {
        assertThat(future).succeedsWithin(AWAIT);
        return future.join().offset();
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

    private void assertAllMemoryReturned() {
        assertThat(runtime.pool().availableMemory()).isEqualTo(runtime.pool().totalMemory());
    }

    @Nested
    class Linger {

        @Test
        void aBatchWaitsForLingerMsThenGoes() {
            start("linger.ms", 100);
            CompletableFuture<RecordMetadata> future = send(0, "a");
            step();
            assertThat(produceRequests()).isEmpty();
            assertThat(client.lastPollTimeoutMs()).isEqualTo(100);

            advance(99);
            assertThat(produceRequests()).isEmpty();
            assertThat(client.lastPollTimeoutMs()).isEqualTo(1);

            advance(1);
            assertThat(produceRequests()).hasSize(1);
            assertThat(sent).containsExactly(new SentBatch("0", 0, -1, (short) -1, -1, List.of("a")));

            client.respond(ok(7));
            step();
            assertThat(offsetOf(future)).isEqualTo(7);
            assertAllMemoryReturned();
        }

        @Test
        void aFullBatchGoesAtOnce() {
            start("linger.ms", 20_000, "batch.size", 1024);
            String value = "x".repeat(200);
            int records = 0;
            do {
                send(0, value);
                records++;
            } while (!lastAppend.batchIsFull());
            int inFirstBatch = lastAppend.newBatchCreated() ? records - 1 : records;

            step();

            assertThat(produceRequests()).hasSize(1);
            assertThat(sent).hasSize(1);
            assertThat(sent.get(0).values()).hasSize(inFirstBatch);
        }

        @Test
        void recordsOfOnePartitionShareABatch() {
            start("linger.ms", 50);
            CompletableFuture<RecordMetadata> first = send(0, "a");
            CompletableFuture<RecordMetadata> second = send(0, "b");
            advance(50);
            assertThat(sent).extracting(SentBatch::values).containsExactly(List.of("a", "b"));

            client.respond(ok(100));
            step();
            assertThat(offsetOf(first)).isEqualTo(100);
            assertThat(offsetOf(second)).isEqualTo(101);
        }
    }

    @Nested
    class Drain {

        @Test
        void eachLeaderGetsItsOwnRequest() {
            start();
            send(0, "a");
            send(1, "b");
            send(2, "c");
            send(3, "d");
            step();

            assertThat(produceRequests()).extracting(ClientRequest::destination)
                    .containsExactlyInAnyOrder("0", "1", "2");
            ClientRequest toNode0 = produceRequests().stream().filter(r -> r.destination().equals("0")).findFirst()
                    .orElseThrow();
            assertThat(partitionsOf(toNode0)).containsExactlyInAnyOrder(0, 3);
        }

        @Test
        void aNodeThatIsNotReadyGetsNothingUntilItIs() {
            start();
            client.setReady(1, false);
            send(0, "a");
            send(1, "b");
            step();
            assertThat(produceRequests()).extracting(ClientRequest::destination).containsExactly("0");

            client.setReady(1, true);
            step();
            assertThat(produceRequests()).extracting(ClientRequest::destination).containsExactly("0", "1");
        }

        @Test
        void theSenderSleepsUntilANodeMayBeReady() {
            start();
            client.readyAt(0, time.monotonicMs() + 500);
            send(0, "a");
            step();
            assertThat(produceRequests()).isEmpty();
            assertThat(client.lastPollTimeoutMs()).isEqualTo(500);

            advance(500);
            assertThat(produceRequests()).hasSize(1);
        }

        @Test
        void aPartitionWithoutALeaderExpiresInTheQueue() {
            cluster = TestMetadata.cluster(3).topic(TOPIC, 6).leader(TOPIC, 0, -1, 0);
            start("request.timeout.ms", 1000, "delivery.timeout.ms", 3000);
            CompletableFuture<RecordMetadata> future = send(0, "a");
            step();
            advance(3000);
            assertThat(failureOf(future)).isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("delivery.timeout.ms");
            assertThat(produceRequests()).isEmpty();
        }

        @Test
        void noPartitionStarvesWhenOneRequestCannotTakeThemAll() {
            cluster = TestMetadata.cluster(1).topic(TOPIC, 6);
            start("max.request.size", 1000);
            String value = "x".repeat(300); // two batches fit a request, three do not
            for (int p = 0; p < 6; p++) {
                send(p, value);
            }
            Set<Integer> seen = new HashSet<>();
            for (int round = 0; round < 3; round++) {
                step();
                ClientRequest request = produceRequests().get(round);
                Set<Integer> partitions = partitionsOf(request);
                assertThat(partitions).as("request %d", round).hasSize(2);
                seen.addAll(partitions);
                for (int p : partitions) {
                    send(p, value); // the drained partitions have data again at once
                }
            }
            assertThat(seen).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        }

        @Test
        void afterADrainThatEmptiedItsQueuesTheSenderWaitsInsteadOfPollingAgainAtOnce() {
            start("linger.ms", 0);
            send(0, "a");
            step();
            assertThat(produceRequests()).hasSize(1);
            // nothing is left to send: waiting costs nothing, polling again at once a select and a turn
            assertThat(client.lastPollTimeoutMs()).isPositive();
        }

        @Test
        void aDrainThatLeftABatchBehindIsFollowedByAPollThatDoesNotWait() {
            cluster = TestMetadata.cluster(1).topic(TOPIC, 6);
            start("max.request.size", 1000, "linger.ms", 10_000);
            String value = "x".repeat(300); // two batches fit a request, three do not
            for (int p = 0; p < 3; p++) {
                send(p, value);
            }
            runtime.accumulator().beginFlush();
            step();
            assertThat(produceRequests()).hasSize(1);
            // the third batch did not fit: the next turn must come at once, not after linger.ms
            assertThat(client.lastPollTimeoutMs()).isZero();
            step();
            assertThat(produceRequests()).hasSize(2);
            assertThat(client.lastPollTimeoutMs()).isPositive();
        }

        @Test
        void maxInFlightOneKeepsOneBatchPerPartitionInFlight() {
            start("max.in.flight.requests.per.connection", 1);
            client.maxInFlightPerNode(5); // the sender's own muting, not the client's limit, is under test
            send(0, "a");
            step();
            send(0, "b");
            send(3, "c"); // same leader, other partition
            step();
            assertThat(produceRequests()).hasSize(2);
            assertThat(partitionsOf(produceRequests().get(1))).containsExactly(3);

            client.respond(ok(0)); // partition 0's request
            step();
            step();
            assertThat(produceRequests()).hasSize(3);
            assertThat(lastSent().values()).containsExactly("b");
        }
    }

    /** Matching an answer's partitions to the batches of the request it answers. */
    @Nested
    class Answers {

        private static final String OTHER = "u";

        /** An answer naming topics by name (v12) or by id only (v13), each partition at its own offset. */
        private ProduceResponse answer(ClientRequest request, boolean byId, boolean reversed) {
            List<ProduceResponse.TopicResponse> topics = new ArrayList<>();
            for (ProduceRequest.TopicData topic : ((ProduceRequest) request.body()).topics()) {
                List<ProduceResponse.PartitionResponse> partitions = new ArrayList<>();
                for (ProduceRequest.PartitionData p : topic.partitions()) {
                    partitions.add(partitionResponse(p.partition(), Errors.NONE, offsetFor(topic.name(), p.partition()),
                            null, -1, -1));
                }
                if (reversed) {
                    java.util.Collections.reverse(partitions);
                }
                topics.add(new ProduceResponse.TopicResponse(byId ? null : topic.name(),
                        byId ? TestMetadata.topicId(topic.name()) : null, partitions));
            }
            if (reversed) {
                java.util.Collections.reverse(topics);
            }
            return new ProduceResponse(topics, 0, List.of());
        }

        private long offsetFor(String topic, int partition) {
            return (topic.equals(TOPIC) ? 1000 : 2000) + partition;
        }

        @Test
        void batchesOfTwoTopicsAreGroupedByTopicAndAnAnswerInAnyOrderGivesEachItsOwnOffset() {
            cluster = TestMetadata.cluster(3).topic(TOPIC, 6).topic(OTHER, 6);
            start();
            CompletableFuture<RecordMetadata> t0 = sendTo(TOPIC, 0, "a");
            CompletableFuture<RecordMetadata> u0 = sendTo(OTHER, 0, "b");
            CompletableFuture<RecordMetadata> t3 = sendTo(TOPIC, 3, "c");
            CompletableFuture<RecordMetadata> u3 = sendTo(OTHER, 3, "d");
            step();
            ClientRequest toNode0 = produceRequests().stream().filter(r -> r.destination().equals("0")).findFirst()
                    .orElseThrow();
            assertThat(((ProduceRequest) toNode0.body()).topics()).extracting(ProduceRequest.TopicData::name)
                    .containsExactlyInAnyOrder(TOPIC, OTHER);

            client.respond(r -> answer(r, false, true));
            step();

            assertThat(offsetOf(t0)).isEqualTo(1000);
            assertThat(offsetOf(t3)).isEqualTo(1003);
            assertThat(offsetOf(u0)).isEqualTo(2000);
            assertThat(offsetOf(u3)).isEqualTo(2003);
            assertThat(t3.join().topic()).isEqualTo(TOPIC);
            assertThat(u3.join().topic()).isEqualTo(OTHER);
        }

        @Test
        void anAnswerThatNamesTopicsByIdIsMatchedThroughTheRequestsTopicIds() {
            cluster = TestMetadata.cluster(3).topic(TOPIC, 6).topic(OTHER, 6);
            start();
            CompletableFuture<RecordMetadata> t0 = sendTo(TOPIC, 0, "a");
            CompletableFuture<RecordMetadata> u3 = sendTo(OTHER, 3, "b");
            step();

            client.respond(r -> answer(r, true, false));
            step();

            assertThat(offsetOf(t0)).isEqualTo(1000);
            assertThat(offsetOf(u3)).isEqualTo(2003);
        }

        @Test
        void aBatchTheAnswerDoesNotMentionFailsAndTheOthersSucceed() {
            start();
            CompletableFuture<RecordMetadata> p0 = send(0, "a");
            CompletableFuture<RecordMetadata> p3 = send(3, "b");
            step();

            client.respond(r -> new ProduceResponse(List.of(new ProduceResponse.TopicResponse(TOPIC, null,
                    List.of(partitionResponse(3, Errors.NONE, 7, null, -1, -1)))), 0, List.of()));
            step();

            assertThat(offsetOf(p3)).isEqualTo(7);
            assertThat(failureOf(p0)).isInstanceOfSatisfying(BrokerException.class,
                    e -> assertThat(e).hasMessageContaining("did not mention " + TOPIC + "-0"));
        }

        @Test
        void eachRequestIsMatchedOnlyAgainstItsOwnBatches() {
            start();
            CompletableFuture<RecordMetadata> first = send(0, "a");
            step();
            CompletableFuture<RecordMetadata> second = send(0, "b");
            step();
            assertThat(produceRequests()).hasSize(2);

            client.respond(ok(10));
            step();
            assertThat(offsetOf(first)).isEqualTo(10);
            assertThat(second).isNotDone();

            client.respond(ok(11));
            step();
            assertThat(offsetOf(second)).isEqualTo(11);
        }
    }

    @Nested
    class Retries {

        @ParameterizedTest
        @EnumSource(names = {"NOT_LEADER_OR_FOLLOWER", "REQUEST_TIMED_OUT", "NOT_ENOUGH_REPLICAS"})
        void aRetriableErrorIsResentAfterTheBackoff(Errors error) {
            start();
            CompletableFuture<RecordMetadata> future = send(0, "a");
            step();
            client.respond(error(error));
            step();
            assertThat(produceRequests()).hasSize(1);

            advance(799);
            assertThat(produceRequests()).as("resent within the backoff").hasSize(1);
            advance(401);
            assertThat(produceRequests()).hasSize(2);
            assertThat(sent).extracting(SentBatch::values).containsExactly(List.of("a"), List.of("a"));

            client.respond(ok(42));
            step();
            assertThat(offsetOf(future)).isEqualTo(42);
            assertThat(runtime.outcomes().counts().acknowledged()).isEqualTo(1);
            assertAllMemoryReturned();
        }

        @Test
        void aDisconnectIsRetried() {
            start();
            CompletableFuture<RecordMetadata> future = send(0, "a");
            step();
            client.disconnect(0);
            step();
            assertThat(runtime.outcomes().counts().failed()).isZero();

            advance(1200);
            assertThat(produceRequests()).hasSize(2);
            client.respond(ok(3));
            step();
            assertThat(offsetOf(future)).isEqualTo(3);
        }

        @Test
        void aRequestThatTimesOutIsRetried() {
            start("request.timeout.ms", 1000, "delivery.timeout.ms", 30_000);
            CompletableFuture<RecordMetadata> future = send(0, "a");
            step();
            advance(999);
            assertThat(client.inFlightRequestCount()).isEqualTo(1);
            advance(1);
            assertThat(client.inFlightRequestCount()).isZero();
            assertThat(produceRequests()).hasSize(1);

            advance(1200);
            assertThat(produceRequests()).hasSize(2);
            client.respond(ok(9));
            step();
            assertThat(offsetOf(future)).isEqualTo(9);
        }

        @Test
        void retriesStopAfterRetriesAttempts() {
            start("retries", 1);
            CompletableFuture<RecordMetadata> future = send(0, "a");
            step();
            client.respond(error(Errors.NOT_ENOUGH_REPLICAS));
            step();
            advance(1200);
            assertThat(produceRequests()).hasSize(2);
            client.respond(error(Errors.NOT_ENOUGH_REPLICAS));
            step();
            advance(1200);

            assertThat(produceRequests()).hasSize(2);
            assertThat(failureOf(future)).isInstanceOfSatisfying(BrokerException.class,
                    e -> assertThat(e.errorName()).isEqualTo("NOT_ENOUGH_REPLICAS"));
        }

        @Test
        void aNonRetriableErrorFailsWithTheBrokersError() {
            start();
            CompletableFuture<RecordMetadata> future = send(0, "a");
            step();
            client.respond(r -> produceResponse(r,
                    p -> partitionResponse(p, Errors.INVALID_RECORD, -1, "record refused", -1, -1),
                    List.of()));
            step();

            assertThat(failureOf(future)).isInstanceOfSatisfying(BrokerException.class, e -> {
                assertThat(e.errorName()).isEqualTo("INVALID_RECORD");
                assertThat(e.isRetriable()).isFalse();
                assertThat(e).hasMessageContaining("record refused");
            });
            advance(5_000);
            assertThat(produceRequests()).hasSize(1);
            assertThat(runtime.outcomes().counts().failed()).isEqualTo(1);
            assertAllMemoryReturned();
        }

        @Test
        void aBrokerThatRefusesAuthenticationFailsItsQueuedRecordsAtOnceAndOnlyThose() {
            start();
            Cluster view = runtime.metadata().fetch();
            int refusing = view.leaderFor(new TopicPartition(TOPIC, 0)).id();
            int other = 1;
            while (view.leaderFor(new TopicPartition(TOPIC, other)).id() == refusing) {
                other++;
            }
            client.authenticationFailure(refusing, new dev.courier.producer.errors.SaslAuthenticationException(
                    "PLAIN authentication to node " + refusing + " failed"));
            CompletableFuture<RecordMetadata> refused = send(0, "a");
            CompletableFuture<RecordMetadata> elsewhere = send(other, "b");
            step();

            assertThat(failureOf(refused)).isInstanceOf(dev.courier.producer.errors.SaslAuthenticationException.class);
            assertThat(produceRequests()).hasSize(1);
            assertThat(partitionsOf(produceRequests().get(0))).containsExactly(other);
            assertThat(elsewhere).isNotDone();
        }

        @Test
        void aTopicAuthorizationFailureFailsAtOnceWithTopicAuthorizationException() {
            start();
            CompletableFuture<RecordMetadata> future = send(0, "a");
            step();
            client.respond(r -> produceResponse(r,
                    p -> partitionResponse(p, Errors.TOPIC_AUTHORIZATION_FAILED, -1, "not allowed to write", -1, -1),
                    List.of()));
            step();

            assertThat(failureOf(future)).isInstanceOf(dev.courier.producer.errors.TopicAuthorizationException.class)
                    .hasMessageContaining("TOPIC_AUTHORIZATION_FAILED").hasMessageContaining("not allowed to write");
            advance(5_000);
            assertThat(produceRequests()).hasSize(1);
            assertAllMemoryReturned();
        }

        @Test
        void messageTooLargeFailsWithRecordTooLarge() {
            start();
            CompletableFuture<RecordMetadata> future = send(0, "a");
            step();
            client.respond(error(Errors.MESSAGE_TOO_LARGE));
            step();
            assertThat(failureOf(future)).isInstanceOf(RecordTooLargeException.class);
        }

        @Test
        void aBrokerWithoutAUsableVersionFailsTheBatch() {
            start();
            client.unsupported(ApiKey.PRODUCE);
            CompletableFuture<RecordMetadata> future = send(0, "a");
            step();
            assertThat(failureOf(future)).isInstanceOf(UnsupportedVersionException.class);
            assertAllMemoryReturned();
        }
    }

    @Nested
    class DeliveryTimeout {

        @Test
        void expiresWhileQueuedForANodeThatIsNeverReady() {
            start("request.timeout.ms", 1000, "delivery.timeout.ms", 3000);
            client.setReady(0, false);
            CompletableFuture<RecordMetadata> future = send(0, "a");
            step();
            advance(2999);
            assertThat(runtime.outcomes().counts().failed()).isZero();

            advance(1);
            assertThat(failureOf(future)).isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("delivery.timeout.ms");
            assertThat(produceRequests()).isEmpty();
            assertAllMemoryReturned();
        }

        @Test
        void expiresWhileBackingOff() {
            start("request.timeout.ms", 1000, "delivery.timeout.ms", 3000, "retry.backoff.ms", 5000,
                    "retry.backoff.max.ms", 5000);
            CompletableFuture<RecordMetadata> future = send(0, "a");
            step();
            client.respond(error(Errors.NOT_LEADER_OR_FOLLOWER));
            step();
            advance(2999);
            assertThat(runtime.outcomes().counts().failed()).isZero();

            advance(1);
            assertThat(failureOf(future)).isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("delivery.timeout.ms").hasMessageContaining("NOT_LEADER_OR_FOLLOWER");
            assertThat(produceRequests()).hasSize(1);
            assertAllMemoryReturned();
        }

        @Test
        void aBatchQueuedBehindARefusedOneExpiresNamingWhatHeldItsPartitionBack() {
            startIdempotent("request.timeout.ms", 1000, "delivery.timeout.ms", 3000, "retry.backoff.ms", 5000,
                    "retry.backoff.max.ms", 5000);
            CompletableFuture<RecordMetadata> first = send(0, "a");
            step();
            client.respond(error(Errors.NOT_ENOUGH_REPLICAS));
            step();
            advance(10);
            CompletableFuture<RecordMetadata> second = send(0, "b"); // waits behind "a", which backs off
            step();
            advance(2990);
            assertThat(failureOf(first)).hasMessageContaining("NOT_ENOUGH_REPLICAS");
            assertThat(second).isNotDone();

            advance(10); // "b" expires after "a" has gone, without an attempt of its own
            assertThat(failureOf(second)).isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("queued behind batches of the partition whose last attempt failed with "
                            + "NOT_ENOUGH_REPLICAS");
            assertThat(produceRequests()).hasSize(1);
            assertAllMemoryReturned();
        }

        @Test
        void expiresWhileInFlight() {
            start("request.timeout.ms", 3000, "delivery.timeout.ms", 3000);
            CompletableFuture<RecordMetadata> future = send(0, "a");
            step();
            advance(2999);
            assertThat(runtime.outcomes().counts().failed()).isZero();

            advance(1);
            assertThat(failureOf(future)).isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("delivery.timeout.ms");
            assertThat(runtime.outcomes().counts().failed()).isEqualTo(1);
            assertThat(produceRequests()).hasSize(1);
            assertThat(client.inFlightRequestCount()).isZero();
            assertAllMemoryReturned();
        }

        @Test
        void aLateAnswerAfterExpiryChangesNothing() {
            start("request.timeout.ms", 3000, "delivery.timeout.ms", 3000);
            client.readyAt(0, time.monotonicMs() + 500);
            CompletableFuture<RecordMetadata> future = send(0, "a");
            step();
            advance(500); // sent now; its request would time out at 3500
            assertThat(produceRequests()).hasSize(1);
            advance(2500);
            assertThat(failureOf(future)).isInstanceOf(TimeoutException.class);

            client.respond(ok(5));
            step();
            assertThat(runtime.outcomes().counts().failed()).isEqualTo(1);
            assertThat(runtime.outcomes().counts().acknowledged()).isZero();
            assertAllMemoryReturned();
        }

        @Test
        void expiresWithTheReasonWhenNoProducerIdCanBeHad() {
            start("enable.idempotence", true, "request.timeout.ms", 1000, "delivery.timeout.ms", 3000);
            for (int i = 0; i < 10; i++) {
                client.prepareResponse(ApiKey.INIT_PRODUCER_ID,
                        new InitProducerIdResponse(0, Errors.COORDINATOR_NOT_AVAILABLE.code(), -1, (short) -1));
            }
            CompletableFuture<RecordMetadata> future = send(0, "a");
            for (int i = 0; i < 3; i++) {
                advance(1000);
            }
            assertThat(failureOf(future)).isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("delivery.timeout.ms").hasMessageContaining("InitProducerId");
            assertThat(produceRequests()).isEmpty();
        }
    }

    @Nested
    class LeaderHints {

        private Function<ClientRequest, Object> notLeader(int newLeader, int newEpoch,
                                                          List<ProduceResponse.NodeEndpoint> endpoints) {
            return r -> produceResponse(r,
                    p -> partitionResponse(p, Errors.NOT_LEADER_OR_FOLLOWER, -1, null, newLeader, newEpoch), endpoints);
        }

        @Test
        void theRetryGoesToTheNamedLeaderAtOnce() {
            start();
            CompletableFuture<RecordMetadata> future = send(0, "a");
            step();
            client.respond(notLeader(1, 1, List.of()));
            step();
            step(); // no time passes: no backoff, no metadata round trip

            assertThat(produceRequests()).extracting(ClientRequest::destination).containsExactly("0", "1");
            assertThat(runtime.metadata().fetch().leaderFor(new TopicPartition(TOPIC, 0)).id()).isEqualTo(1);
            client.respond(ok(11));
            step();
            assertThat(offsetOf(future)).isEqualTo(11);
        }

        @Test
        void aLeaderUnknownToTheMetadataIsTakenFromTheNodeEndpoints() {
            start();
            send(0, "a");
            step();
            client.respond(notLeader(7, 1, List.of(new ProduceResponse.NodeEndpoint(7, "127.0.0.1", 9099, null))));
            step();
            step();

            assertThat(produceRequests()).extracting(ClientRequest::destination).containsExactly("0", "7");
        }

        @Test
        void aHintWithAnOldLeaderEpochIsIgnored() {
            cluster = TestMetadata.cluster(3).topic(TOPIC, 6).leader(TOPIC, 0, 0, 5);
            start();
            send(0, "a");
            step();
            client.respond(notLeader(1, 4, List.of()));
            step();
            step();
            assertThat(produceRequests()).hasSize(1);

            advance(1200);
            assertThat(produceRequests()).extracting(ClientRequest::destination).containsExactly("0", "0");
        }
    }

    @Nested
    class Idempotence {

        @Test
        void aClusterThatRefusesAProducerIdFailsTheWaitingRecordsAtOnceAndKeepsAsking() {
            start("enable.idempotence", true);
            CompletableFuture<RecordMetadata> refused = send(0, "a");
            step();
            client.respond(new InitProducerIdResponse(0, Errors.CLUSTER_AUTHORIZATION_FAILED.code(), -1, (short) -1));
            step();
            step(); // no time passes: not at delivery.timeout.ms
            assertThat(failureOf(refused)).isInstanceOf(dev.courier.producer.errors.ClusterAuthorizationException.class)
                    .hasMessageContaining("CLUSTER_AUTHORIZATION_FAILED").hasMessageContaining("Write on a topic");
            assertThat(produceRequests()).isEmpty();

            CompletableFuture<RecordMetadata> meanwhile = send(1, "b");
            step();
            assertThat(failureOf(meanwhile)).as("sent while the refusal stands")
                    .isInstanceOf(dev.courier.producer.errors.ClusterAuthorizationException.class);

            client.prepareResponse(ApiKey.INIT_PRODUCER_ID, new InitProducerIdResponse(0, (short) 0, PRODUCER_ID,
                    (short) 0));
            advance(1200); // the retry backoff: permission granted meanwhile
            assertThat(client.requests(ApiKey.INIT_PRODUCER_ID)).hasSize(2);
            step();
            CompletableFuture<RecordMetadata> later = send(2, "c");
            step();
            assertThat(produceRequests()).hasSize(1);
            client.respond(ok(5));
            step();
            assertThat(offsetOf(later)).isEqualTo(5);
        }

        @Test
        void producerIdComesBeforeAnyProduceRequest() {
            start("enable.idempotence", true);
            CompletableFuture<RecordMetadata> future = send(0, "a");
            step();
            assertThat(client.requests()).extracting(ClientRequest::apiKey).containsExactly(ApiKey.INIT_PRODUCER_ID);

            client.respond(new InitProducerIdResponse(0, (short) 0, PRODUCER_ID, (short) 3));
            step();
            step();
            assertThat(sent).containsExactly(new SentBatch("0", 0, PRODUCER_ID, (short) 3, 0, List.of("a")));
            client.respond(ok(0));
            step();
            assertThat(offsetOf(future)).isZero();
        }

        @Test
        void batchesCarrySequencesPerPartition() {
            startIdempotent();
            send(0, "a");
            send(0, "b");
            send(0, "c");
            step();
            client.respond(ok(0));
            step();
            send(0, "d");
            send(1, "x");
            step();

            assertThat(sent).containsExactly(
                    new SentBatch("0", 0, PRODUCER_ID, (short) 0, 0, List.of("a", "b", "c")),
                    new SentBatch("0", 0, PRODUCER_ID, (short) 0, 3, List.of("d")),
                    new SentBatch("1", 1, PRODUCER_ID, (short) 0, 0, List.of("x")));
        }

        @Test
        void retriesKeepTheirSequencesAndGoOutInOrder() {
            startIdempotent();
            send(0, "z");
            step();
            client.respond(ok(9)); // the partition's first batch of the epoch: pipelining starts behind it
            step();
            CompletableFuture<RecordMetadata> first = send(0, "a");
            send(0, "b");
            step();
            CompletableFuture<RecordMetadata> second = send(0, "c");
            step();
            client.respond(error(Errors.NOT_LEADER_OR_FOLLOWER));
            client.respond(error(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER)); // its predecessor never arrived
            step();
            assertThat(sent).hasSize(3);

            advance(1200);
            step();
            assertThat(sent.subList(3, sent.size())).containsExactly(
                    new SentBatch("0", 0, PRODUCER_ID, (short) 0, 1, List.of("a", "b")),
                    new SentBatch("0", 0, PRODUCER_ID, (short) 0, 3, List.of("c")));
            client.respond(ok(20));
            client.respond(ok(22));
            step();
            assertThat(offsetOf(first)).isEqualTo(20);
            assertThat(offsetOf(second)).isEqualTo(22);
        }

        @Test
        void aPartitionsFirstBatchOfAnEpochTravelsAloneUntilAcknowledged() {
            startIdempotent();
            send(0, "a");
            step();
            send(0, "b");
            step();
            assertThat(sent).hasSize(1); // a broker without state for this producer would take "b" first

            client.respond(ok(0));
            step();
            step();
            assertThat(sent).containsExactly(
                    new SentBatch("0", 0, PRODUCER_ID, (short) 0, 0, List.of("a")),
                    new SentBatch("0", 0, PRODUCER_ID, (short) 0, 1, List.of("b")));
        }

        @Test
        void aDuplicateSequenceCountsAsSuccess() {
            startIdempotent();
            CompletableFuture<RecordMetadata> future = send(0, "a");
            step();
            client.respond(error(Errors.DUPLICATE_SEQUENCE_NUMBER));
            step();
            assertThat(future).succeedsWithin(AWAIT);
            assertThat(runtime.outcomes().counts().acknowledged()).isEqualTo(1);

            send(0, "b");
            step();
            assertThat(lastSent().baseSequence()).isEqualTo(1);
            assertThat(lastSent().epoch()).isZero();
        }

        @Test
        void anExpiredInFlightBatchWithNothingAcknowledgedPastItBumpsTheEpoch() {
            startIdempotent("request.timeout.ms", 3000, "delivery.timeout.ms", 3000);
            CompletableFuture<RecordMetadata> expired = send(0, "a");
            step();
            advance(3000);
            assertThat(failureOf(expired)).isInstanceOf(TimeoutException.class);

            send(0, "b");
            send(1, "c");
            step();
            step();
            assertThat(sent.subList(1, sent.size())).containsExactlyInAnyOrder(
                    new SentBatch("0", 0, PRODUCER_ID, (short) 1, 0, List.of("b")),
                    new SentBatch("1", 1, PRODUCER_ID, (short) 1, 0, List.of("c")));
            assertThat(client.requests(ApiKey.INIT_PRODUCER_ID)).hasSize(1); // bumped locally
        }

        @Test
        void aLateAcknowledgementOfAnExpiredBatchSparesTheBump() {
            startIdempotent("request.timeout.ms", 3000, "delivery.timeout.ms", 3000);
            client.readyAt(0, time.monotonicMs() + 500);
            CompletableFuture<RecordMetadata> expired = send(0, "a");
            step();
            advance(500);
            advance(2500);
            assertThat(failureOf(expired)).isInstanceOf(TimeoutException.class);
            client.respond(ok(0));
            step();

            send(0, "b");
            step();
            step();
            assertThat(lastSent()).isEqualTo(new SentBatch("0", 0, PRODUCER_ID, (short) 0, 1, List.of("b")));
        }

        @Test
        void unknownProducerIdBumpsTheEpochAndRestampsTheRetry() {
            startIdempotent();
            CompletableFuture<RecordMetadata> future = send(0, "a");
            step();
            client.respond(error(Errors.UNKNOWN_PRODUCER_ID));
            step();
            advance(1200);

            assertThat(lastSent()).isEqualTo(new SentBatch("0", 0, PRODUCER_ID, (short) 1, 0, List.of("a")));
            client.respond(ok(1));
            step();
            assertThat(offsetOf(future)).isEqualTo(1);

            send(0, "b");
            step();
            assertThat(lastSent()).isEqualTo(new SentBatch("0", 0, PRODUCER_ID, (short) 1, 1, List.of("b")));
        }

        @Test
        void outOfOrderForTheNextExpectedSequenceBumpsTheEpoch() {
            startIdempotent();
            send(0, "a");
            step();
            client.respond(ok(0));
            step();
            CompletableFuture<RecordMetadata> future = send(0, "b");
            step();
            assertThat(lastSent().baseSequence()).isEqualTo(1);
            client.respond(error(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER));
            step();
            advance(1200);

            assertThat(lastSent()).isEqualTo(new SentBatch("0", 0, PRODUCER_ID, (short) 1, 0, List.of("b")));
            client.respond(ok(1));
            step();
            assertThat(offsetOf(future)).isEqualTo(1);
        }

        @Test
        void invalidProducerEpochFailsTheBatch() {
            startIdempotent();
            CompletableFuture<RecordMetadata> future = send(0, "a");
            step();
            client.respond(error(Errors.INVALID_PRODUCER_EPOCH));
            step();
            assertThat(failureOf(future)).isInstanceOfSatisfying(BrokerException.class,
                    e -> assertThat(e.errorName()).isEqualTo("INVALID_PRODUCER_EPOCH"));
        }
    }

    @Nested
    class AcksZero {

        @Test
        void completesWithoutAResponseAndWithoutAnOffset() {
            start("acks", "0");
            CompletableFuture<RecordMetadata> future = send(0, "a");
            step();

            assertThat(produceRequests()).singleElement().satisfies(r -> {
                assertThat(r.expectResponse()).isFalse();
                assertThat(((ProduceRequest) r.body()).acks()).isZero();
            });
            assertThat(offsetOf(future)).isEqualTo(-1);
            assertThat(client.inFlightRequestCount()).isZero();
            assertAllMemoryReturned();
        }
    }

    @Nested
    class Close {

        @Test
        void aGracefulCloseDeliversWhatWasAccepted() {
            start();
            CompletableFuture<RecordMetadata> inFlight = send(0, "a");
            step();
            client.setReady(1, false);
            CompletableFuture<RecordMetadata> queued = send(1, "b");
            step();
            assertThat(client.inFlightRequestCount()).isEqualTo(1);

            client.setReady(1, true);
            client.prepareResponse(ApiKey.PRODUCE, ok(10));
            client.prepareResponse(ApiKey.PRODUCE, ok(20));
            runtime.accumulator().close();
            sender.initiateClose();
            assertTimeoutPreemptively(AWAIT, sender::run);

            assertThat(offsetOf(inFlight)).isEqualTo(10);
            assertThat(offsetOf(queued)).isEqualTo(20);
            assertThat(client.isClosed()).isTrue();
            assertThat(client.wakeups()).isPositive();
        }

        @Test
        void aGracefulCloseSendsLingeringBatchesAtOnce() {
            start("linger.ms", 20_000);
            CompletableFuture<RecordMetadata> future = send(0, "a");
            step();
            assertThat(produceRequests()).isEmpty();

            client.prepareResponse(ApiKey.PRODUCE, ok(1));
            runtime.accumulator().close();
            sender.initiateClose();
            assertTimeoutPreemptively(AWAIT, sender::run);

            assertThat(offsetOf(future)).isEqualTo(1);
            assertThat(produceRequests()).hasSize(1);
        }

        @Test
        void aForcedCloseEndsAGracefulCloseThatWaitsForAnAnswer() throws Exception {
            start();
            CompletableFuture<RecordMetadata> unanswered = send(0, "a");
            step();
            runtime.accumulator().close();
            sender.initiateClose();
            for (int i = 0; i < 3; i++) {
                step(); // a graceful close keeps waiting for the answer
            }
            assertThat(unanswered).isNotDone();
            assertThat(client.inFlightRequestCount()).isEqualTo(1);

            sender.forceClose();
            assertTimeoutPreemptively(AWAIT, sender::run);
            assertThat(failureOf(unanswered)).isInstanceOf(ProducerClosedException.class)
                    .hasMessageContaining("in flight");
        }

        @Test
        void aForcedCloseFailsEverythingPendingIncludingWhatIsInFlight() {
            start();
            CompletableFuture<RecordMetadata> inFlight = send(0, "a");
            step();
            client.setReady(1, false);
            CompletableFuture<RecordMetadata> queued = send(1, "b");
            step();

            sender.forceClose();
            assertTimeoutPreemptively(AWAIT, sender::run);

            assertThat(failureOf(inFlight)).isInstanceOf(ProducerClosedException.class);
            assertThat(failureOf(queued)).isInstanceOf(ProducerClosedException.class);
            assertThat(runtime.outcomes().counts().abortedInFlight()).isEqualTo(1);
            assertThat(runtime.outcomes().counts().abortedBeforeSend()).isEqualTo(1);
            assertThat(client.isClosed()).isTrue();
            assertAllMemoryReturned();
        }
    }
}
