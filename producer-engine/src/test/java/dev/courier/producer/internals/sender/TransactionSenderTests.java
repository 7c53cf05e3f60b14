package dev.courier.producer.internals.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.ConsumerGroupMetadata;
import dev.courier.producer.OffsetAndMetadata;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.errors.TimeoutException;
import dev.courier.producer.errors.ProducerFencedException;
import dev.courier.producer.errors.TransactionAbortableException;
import dev.courier.producer.errors.TransactionAbortedException;
import dev.courier.producer.internals.ProducerRuntime;
import dev.courier.producer.internals.accumulator.PendingRecords;
import dev.courier.producer.internals.metadata.TestMetadata;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.network.ClientRequest;
import dev.courier.producer.internals.network.MockClient;
import dev.courier.producer.internals.protocol.AddPartitionsToTxnRequest;
import dev.courier.producer.internals.protocol.AddPartitionsToTxnResponse;
import dev.courier.producer.internals.protocol.ApiKey;
import dev.courier.producer.internals.protocol.DescribeTransactionsResponse;
import dev.courier.producer.internals.protocol.EndTxnRequest;
import dev.courier.producer.internals.protocol.EndTxnResponse;
import dev.courier.producer.internals.protocol.ErrorCodeResponse;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.protocol.FindCoordinatorRequest;
import dev.courier.producer.internals.protocol.FindCoordinatorResponse;
import dev.courier.producer.internals.protocol.InitProducerIdRequest;
import dev.courier.producer.internals.protocol.InitProducerIdResponse;
import dev.courier.producer.internals.protocol.ProduceRequest;
import dev.courier.producer.internals.protocol.ProduceResponse;
import dev.courier.producer.internals.protocol.TxnOffsetCommitRequest;
import dev.courier.producer.internals.protocol.TxnOffsetCommitResponse;
import dev.courier.producer.internals.record.DecodedBatch;
import dev.courier.producer.internals.record.RecordBatchReader;
import dev.courier.producer.internals.transaction.TransactionManager;
import dev.courier.producer.internals.transaction.TransactionResult;
import dev.courier.producer.internals.transaction.TransactionState;
import dev.courier.producer.internals.util.ManualTime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transactional producer's requests, stepped by hand as in {@link SenderTests}: a manual clock, a
 * {@link MockClient}, and the transaction manager driven directly (its results are completed by the
 * sender loop, so nothing here blocks). The transaction coordinator is broker 1; retry backoff is
 * 1000 ms with 20 % jitter.
 */
class TransactionSenderTests {

    private static final String TOPIC = "t";
    private static final String TXN_ID = "txn-1";
    private static final long PRODUCER_ID = 4711;
    private static final int COORDINATOR = 1;
    private static final Duration AWAIT = Duration.ofSeconds(5);

    private final ManualTime time = new ManualTime();
    private final List<DecodedBatch> sentBatches = new ArrayList<>();
    private MockClient client;
    private SenderHarness harness;
    private ProducerRuntime runtime;
    private Sender sender;
    private TransactionManager transactions;

    @BeforeEach
    void start() {
        Map<String, Object> config = SenderHarness.config("transactional.id", TXN_ID, "request.timeout.ms", 10_000,
                "delivery.timeout.ms", 30_000);
        config.remove("enable.idempotence"); // a transactional producer is idempotent
        harness = SenderHarness.start(config, time, new PendingRecords(), TestMetadata.cluster(3).topic(TOPIC, 6),
                this::decode);
        client = harness.client();
        runtime = harness.runtime();
        sender = harness.sender();
        transactions = runtime.transactions();
    }

    @AfterEach
    void stopDispatcher() {
        harness.close();
    }

    private void decode(ClientRequest request) {
        if (request.body() instanceof ProduceRequest produce) {
            for (ProduceRequest.TopicData topic : produce.topics()) {
                for (ProduceRequest.PartitionData partition : topic.partitions()) {
                    sentBatches.add(RecordBatchReader.read(partition.records()));
                }
            }
        }
    }

    // ---- steps and answers ----------------------------------------------------------------------------

    private void step() {
        sender.runOnce();
    }

    private void advance(long ms) {
        time.sleep(ms);
        sender.runOnce();
    }

    private CompletableFuture<RecordMetadata> send(int partition, String value) {
        assertThat(transactions.checkSend()).isNull();
        CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
        try {
            runtime.accumulator().append(new TopicPartition(TOPIC, partition), time.milliseconds(), null,
                    value.getBytes(StandardCharsets.UTF_8), List.of(), future, null, 0);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return future;
    }

    private static FindCoordinatorResponse coordinator(Errors error) {
        return new FindCoordinatorResponse(0, error.code(), null, COORDINATOR, "localhost", 9093);
    }

    private static InitProducerIdResponse producerId(short epoch) {
        return new InitProducerIdResponse(0, Errors.NONE.code(), PRODUCER_ID, epoch);
    }

    private static Function<ClientRequest, Object> addPartitions(Errors error) {
        return request -> {
            List<AddPartitionsToTxnResponse.PartitionResult> results = new ArrayList<>();
            ((AddPartitionsToTxnRequest) request.body()).partitionsByTopic().forEach((topic, partitions) ->
                    partitions.forEach(p -> results.add(new AddPartitionsToTxnResponse.PartitionResult(topic, p,
                            error.code()))));
            return new AddPartitionsToTxnResponse(0, results);
        };
    }

    private static Function<ClientRequest, Object> produce(Errors error) {
        return request -> {
            List<ProduceResponse.TopicResponse> topics = new ArrayList<>();
            for (ProduceRequest.TopicData topic : ((ProduceRequest) request.body()).topics()) {
                topics.add(new ProduceResponse.TopicResponse(topic.name(), null, topic.partitions().stream()
                        .map(p -> new ProduceResponse.PartitionResponse(p.partition(), error.code(),
                                error == Errors.NONE ? 10 : -1, -1, -1, List.of(), null, -1, -1)).toList()));
            }
            return new ProduceResponse(topics, 0, List.of());
        };
    }

    private static EndTxnResponse endTxn(Errors error) {
        return new EndTxnResponse(0, error.code(), -1, (short) -1);
    }

    private static DescribeTransactionsResponse coordinatorState(String state) {
        return new DescribeTransactionsResponse(0, Errors.NONE.code(), state, PRODUCER_ID, (short) 1);
    }

    private static ErrorCodeResponse errorCode(Errors error) {
        return new ErrorCodeResponse(0, error.code());
    }

    private List<ApiKey> requestKeys() {
        return client.requests().stream().map(ClientRequest::apiKey).toList();
    }

    /** initTransactions answered by a coordinator on the first try: READY with producer id 4711 epoch 0. */
    private void initialise() {
        TransactionResult init = transactions.initTransactions();
        client.prepareResponse(ApiKey.FIND_COORDINATOR, coordinator(Errors.NONE));
        client.prepareResponse(ApiKey.INIT_PRODUCER_ID, producerId((short) 0));
        step();
        step();
        step();
        assertThat(init.isDone()).isTrue();
        init.await(0);
        assertThat(transactions.state()).isEqualTo(TransactionState.READY);
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        assertThat(future).failsWithin(AWAIT);
        try {
            future.get();
            throw new AssertionError("not failed");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    // ---- tests --------------------------------------------------------------------------------------

    @Test
    void aCommittedTransactionSendsFindCoordinatorInitProducerIdAddPartitionsProduceEndTxnInThatOrder() {
        initialise();
        FindCoordinatorRequest find = client.bodies(ApiKey.FIND_COORDINATOR, FindCoordinatorRequest.class).get(0);
        assertThat(find).isEqualTo(new FindCoordinatorRequest(TXN_ID, FindCoordinatorRequest.TRANSACTION));
        InitProducerIdRequest init = client.bodies(ApiKey.INIT_PRODUCER_ID, InitProducerIdRequest.class).get(0);
        assertThat(init.transactionalId()).isEqualTo(TXN_ID);
        assertThat(init.transactionTimeoutMs()).isEqualTo(60_000);
        assertThat(client.requests(ApiKey.INIT_PRODUCER_ID).get(0).destination()).isEqualTo("1");

        transactions.beginTransaction();
        CompletableFuture<RecordMetadata> first = send(0, "a");
        CompletableFuture<RecordMetadata> second = send(4, "b");
        client.prepareResponse(ApiKey.ADD_PARTITIONS_TO_TXN, addPartitions(Errors.NONE));
        step(); // the gate holds both partitions and queues them
        assertThat(client.requests(ApiKey.PRODUCE)).isEmpty();
        step(); // AddPartitionsToTxn, answered
        step();
        step(); // produce
        assertThat(client.bodies(ApiKey.ADD_PARTITIONS_TO_TXN, AddPartitionsToTxnRequest.class).get(0)
                .partitionsByTopic().get(TOPIC)).containsExactlyInAnyOrder(0, 4);
        List<ClientRequest> produces = client.requests(ApiKey.PRODUCE);
        assertThat(produces).isNotEmpty();
        assertThat(produces).allSatisfy(r -> {
            assertThat(((ProduceRequest) r.body()).transactionalId()).isEqualTo(TXN_ID);
            assertThat(r.body().maxUsableVersion()).isEqualTo((short) 11);
        });
        assertThat(sentBatches).allSatisfy(b -> {
            assertThat(b.isTransactional()).isTrue();
            assertThat(b.producerId()).isEqualTo(PRODUCER_ID);
        });

        TransactionResult commit = transactions.beginCommit();
        step();
        assertThat(client.requests(ApiKey.END_TXN)).as("EndTxn waits for the records in flight").isEmpty();
        client.respond(produce(Errors.NONE));
        if (client.inFlightRequestCount() > 0) {
            client.respond(produce(Errors.NONE));
        }
        client.prepareResponse(ApiKey.END_TXN, endTxn(Errors.NONE));
        step();
        step();
        step();
        assertThat(first).succeedsWithin(AWAIT);
        assertThat(second).succeedsWithin(AWAIT);
        assertThat(commit.isDone()).isTrue();
        commit.await(0);
        assertThat(client.bodies(ApiKey.END_TXN, EndTxnRequest.class))
                .containsExactly(new EndTxnRequest(TXN_ID, PRODUCER_ID, (short) 0, true));
        assertThat(requestKeys()).containsExactly(ApiKey.FIND_COORDINATOR, ApiKey.INIT_PRODUCER_ID,
                ApiKey.ADD_PARTITIONS_TO_TXN, ApiKey.PRODUCE, ApiKey.PRODUCE, ApiKey.END_TXN);
        assertThat(transactions.state()).isEqualTo(TransactionState.READY);
    }

    @Test
    void coordinatorErrorsAreRetriedWithBackoffAndAMovedCoordinatorIsFoundAgain() {
        TransactionResult init = transactions.initTransactions();
        client.prepareResponse(ApiKey.FIND_COORDINATOR, coordinator(Errors.COORDINATOR_NOT_AVAILABLE));
        step();
        step();
        assertThat(client.requests(ApiKey.FIND_COORDINATOR)).hasSize(1);
        client.prepareResponse(ApiKey.FIND_COORDINATOR, coordinator(Errors.NONE));
        client.prepareResponse(ApiKey.INIT_PRODUCER_ID,
                new InitProducerIdResponse(0, Errors.NOT_COORDINATOR.code(), -1, (short) -1));
        advance(1200);
        step();
        step();
        assertThat(client.requests(ApiKey.INIT_PRODUCER_ID)).hasSize(1);
        assertThat(init.isDone()).isFalse();
        client.prepareResponse(ApiKey.FIND_COORDINATOR, coordinator(Errors.NONE));
        client.prepareResponse(ApiKey.INIT_PRODUCER_ID,
                new InitProducerIdResponse(0, Errors.COORDINATOR_LOAD_IN_PROGRESS.code(), -1, (short) -1));
        client.prepareResponse(ApiKey.INIT_PRODUCER_ID, producerId((short) 0));
        for (int i = 0; i < 4; i++) {
            advance(1200);
        }
        assertThat(client.requests(ApiKey.FIND_COORDINATOR)).as("found again after NOT_COORDINATOR").hasSize(3);
        assertThat(client.requests(ApiKey.INIT_PRODUCER_ID)).hasSize(3);
        init.await(0);

        transactions.beginTransaction();
        CompletableFuture<RecordMetadata> record = send(0, "a");
        client.prepareResponse(ApiKey.ADD_PARTITIONS_TO_TXN, addPartitions(Errors.CONCURRENT_TRANSACTIONS));
        client.prepareResponse(ApiKey.ADD_PARTITIONS_TO_TXN, addPartitions(Errors.NONE));
        step();
        step();
        step();
        assertThat(client.requests(ApiKey.ADD_PARTITIONS_TO_TXN)).hasSize(1);
        assertThat(client.requests(ApiKey.PRODUCE)).as("held back until the partition is added").isEmpty();
        advance(1200);
        step();
        step();
        assertThat(client.requests(ApiKey.ADD_PARTITIONS_TO_TXN)).hasSize(2);
        assertThat(client.requests(ApiKey.PRODUCE)).hasSize(1);
        client.respond(produce(Errors.NONE));
        step();
        assertThat(record).succeedsWithin(AWAIT);

        TransactionResult commit = transactions.beginCommit();
        client.prepareResponse(ApiKey.END_TXN, endTxn(Errors.CONCURRENT_TRANSACTIONS));
        client.prepareResponse(ApiKey.END_TXN, endTxn(Errors.NONE));
        step();
        step();
        assertThat(commit.isDone()).isFalse();
        advance(1200);
        step();
        assertThat(client.requests(ApiKey.END_TXN)).hasSize(2);
        commit.await(0);
    }

    @Test
    void aFencedProducerFailsItsRecordsAndItsCommitAndIsDoneForGood() {
        initialise();
        transactions.beginTransaction();
        CompletableFuture<RecordMetadata> record = send(0, "zombie");
        client.prepareResponse(ApiKey.ADD_PARTITIONS_TO_TXN, addPartitions(Errors.PRODUCER_FENCED));
        step();
        step();
        step();
        step();

        assertThat(transactions.state()).isEqualTo(TransactionState.FATAL_ERROR);
        assertThat(failureOf(record)).isInstanceOf(ProducerFencedException.class).hasMessageContaining("fenced");
        assertThat(client.requests(ApiKey.PRODUCE)).isEmpty();
        assertThatThrownBy(transactions::beginCommit).isInstanceOf(ProducerFencedException.class);
        assertThatThrownBy(transactions::beginAbort).isInstanceOf(ProducerFencedException.class);
        assertThat(transactions.checkSend()).isInstanceOf(ProducerFencedException.class);
    }

    @Test
    void abortFailsRecordsNotYetSentWithTransactionAbortedExceptionThenEndsTheTransaction() {
        initialise();
        transactions.beginTransaction();
        CompletableFuture<RecordMetadata> sentRecord = send(0, "sent");
        client.prepareResponse(ApiKey.ADD_PARTITIONS_TO_TXN, addPartitions(Errors.NONE));
        step();
        step();
        step();
        step();
        assertThat(client.requests(ApiKey.PRODUCE)).hasSize(1);
        CompletableFuture<RecordMetadata> queued = send(1, "queued"); // its partition is not in the transaction yet

        TransactionResult abort = transactions.beginAbort();
        step();
        assertThat(failureOf(queued)).isInstanceOf(TransactionAbortedException.class);
        assertThat(client.requests(ApiKey.END_TXN)).as("EndTxn waits for the produce in flight").isEmpty();
        client.respond(produce(Errors.NONE));
        client.prepareResponse(ApiKey.END_TXN, endTxn(Errors.NONE));
        step();
        step();
        step();
        abort.await(0);
        assertThat(sentRecord).as("a record already written completes; the abort hides it").succeedsWithin(AWAIT);
        assertThat(client.bodies(ApiKey.END_TXN, EndTxnRequest.class))
                .containsExactly(new EndTxnRequest(TXN_ID, PRODUCER_ID, (short) 0, false));
        assertThat(transactions.state()).isEqualTo(TransactionState.READY);
        assertThat(client.requests(ApiKey.ADD_PARTITIONS_TO_TXN)).hasSize(1);
    }

    @Test
    void aFailedSendMakesCommitFailUntilTheTransactionIsAborted() {
        initialise();
        transactions.beginTransaction();
        CompletableFuture<RecordMetadata> record = send(0, "bad");
        client.prepareResponse(ApiKey.ADD_PARTITIONS_TO_TXN, addPartitions(Errors.NONE));
        step();
        step();
        step();
        step();
        client.respond(produce(Errors.INVALID_RECORD));
        step();
        assertThat(record).failsWithin(AWAIT);
        assertThat(transactions.state()).isEqualTo(TransactionState.ABORTABLE_ERROR);
        assertThatThrownBy(transactions::beginCommit).isInstanceOf(TransactionAbortableException.class)
                .hasMessageContaining("INVALID_RECORD");
        assertThat(transactions.checkSend()).isInstanceOf(TransactionAbortableException.class);

        TransactionResult abort = transactions.beginAbort();
        client.prepareResponse(ApiKey.END_TXN, endTxn(Errors.NONE));
        client.prepareResponse(ApiKey.INIT_PRODUCER_ID, producerId((short) 1));
        for (int i = 0; i < 6; i++) {
            step();
        }
        abort.await(0);
        assertThat(transactions.state()).isEqualTo(TransactionState.READY);
        InitProducerIdRequest bump = client.bodies(ApiKey.INIT_PRODUCER_ID, InitProducerIdRequest.class).get(1);
        assertThat(bump.producerId()).as("KIP-360: the sequence gap is closed by bumping the same producer id")
                .isEqualTo(PRODUCER_ID);
        assertThat(bump.producerEpoch()).isEqualTo((short) 0);
        assertThat(transactions.epoch()).isEqualTo((short) 1);
    }

    @Test
    void aCoordinatorThatStaysUnreachableIsLookedUpAgain() {
        initialise();
        transactions.beginTransaction();
        CompletableFuture<RecordMetadata> record = send(0, "a");
        client.prepareResponse(ApiKey.ADD_PARTITIONS_TO_TXN, addPartitions(Errors.NONE));
        client.prepareResponse(ApiKey.PRODUCE, produce(Errors.NONE));
        for (int i = 0; i < 5; i++) {
            step();
        }
        assertThat(record).succeedsWithin(AWAIT);

        client.setReady(COORDINATOR, false); // its broker stopped: no request is out to tell us
        TransactionResult commit = transactions.beginCommit();
        step();
        advance(500);
        assertThat(client.requests(ApiKey.FIND_COORDINATOR)).hasSize(1);
        client.prepareResponse(ApiKey.FIND_COORDINATOR,
                new FindCoordinatorResponse(0, Errors.NONE.code(), null, 2, "localhost", 9094));
        client.prepareResponse(ApiKey.END_TXN, endTxn(Errors.NONE));
        advance(1000); // unreachable for the longest retry backoff: look it up again
        step();
        step();
        step();

        assertThat(client.requests(ApiKey.FIND_COORDINATOR)).hasSize(2);
        assertThat(client.requests(ApiKey.END_TXN)).singleElement()
                .satisfies(r -> assertThat(r.destination()).isEqualTo("2"));
        commit.await(0);
    }

    @Test
    void offsetsGoToTheTransactionThenToTheGroupCoordinatorBeforeTheCommit() {
        initialise();
        transactions.beginTransaction();
        TransactionResult offsets = transactions.sendOffsets(
                Map.of(new dev.courier.producer.TopicPartition("in", 2), new OffsetAndMetadata(17, "m")),
                new ConsumerGroupMetadata("group-a", 3, "member-1", Optional.empty()));
        client.prepareResponse(ApiKey.ADD_OFFSETS_TO_TXN, errorCode(Errors.NONE));
        client.prepareResponse(ApiKey.FIND_COORDINATOR,
                new FindCoordinatorResponse(0, Errors.NONE.code(), null, 2, "localhost", 9094));
        client.prepareResponse(ApiKey.TXN_OFFSET_COMMIT, new TxnOffsetCommitResponse(0,
                List.of(new TxnOffsetCommitResponse.PartitionResult("in", 2, Errors.NONE.code()))));
        for (int i = 0; i < 6; i++) {
            step();
        }
        offsets.await(0);
        assertThat(client.bodies(ApiKey.FIND_COORDINATOR, FindCoordinatorRequest.class).get(1))
                .isEqualTo(new FindCoordinatorRequest("group-a", FindCoordinatorRequest.GROUP));
        ClientRequest commitRequest = client.requests(ApiKey.TXN_OFFSET_COMMIT).get(0);
        assertThat(commitRequest.destination()).as("the group coordinator").isEqualTo("2");
        TxnOffsetCommitRequest body = (TxnOffsetCommitRequest) commitRequest.body();
        assertThat(body.generationId()).isEqualTo(3);
        assertThat(body.memberId()).isEqualTo("member-1");
        assertThat(body.offsetsByTopic()).containsEntry("in",
                List.of(new TxnOffsetCommitRequest.PartitionOffset(2, 17, "m")));

        TransactionResult commit = transactions.beginCommit();
        client.prepareResponse(ApiKey.END_TXN, endTxn(Errors.NONE));
        step();
        step();
        commit.await(0);
        assertThat(requestKeys()).containsExactly(ApiKey.FIND_COORDINATOR, ApiKey.INIT_PRODUCER_ID,
                ApiKey.ADD_OFFSETS_TO_TXN, ApiKey.FIND_COORDINATOR, ApiKey.TXN_OFFSET_COMMIT, ApiKey.END_TXN);
    }

    @Test
    void aCommitThatTimedOutIsResumedByCallingCommitAgain() {
        initialise();
        transactions.beginTransaction();
        send(0, "a");
        client.prepareResponse(ApiKey.ADD_PARTITIONS_TO_TXN, addPartitions(Errors.NONE));
        client.prepareResponse(ApiKey.PRODUCE, produce(Errors.NONE));
        for (int i = 0; i < 5; i++) {
            step();
        }
        TransactionResult commit = transactions.beginCommit();
        step(); // EndTxn out, no answer yet
        assertThat(client.requests(ApiKey.END_TXN)).hasSize(1);
        assertThatThrownBy(() -> commit.await(0)).isInstanceOf(TimeoutException.class)
                .hasMessageContaining("call it again");

        TransactionResult again = transactions.beginCommit();
        assertThat(again).isSameAs(commit);
        client.respond(endTxn(Errors.NONE));
        step();
        again.await(0);
        assertThat(client.requests(ApiKey.END_TXN)).as("one EndTxn for both calls").hasSize(1);
        assertThat(transactions.state()).isEqualTo(TransactionState.READY);
    }

    @Test
    void withTransactionsV2FinalizedPartitionsAndOffsetsJoinImplicitlyAndEndTxnBumpsTheEpoch() {
        client.finalizedFeature("transaction.version", (short) 2);
        initialise();
        transactions.beginTransaction();
        assertThat(transactions.transactionsV2()).isTrue();
        CompletableFuture<RecordMetadata> first = send(0, "a");
        TransactionResult offsets = transactions.sendOffsets(
                Map.of(new dev.courier.producer.TopicPartition("in", 0), new OffsetAndMetadata(3, null)),
                new ConsumerGroupMetadata("group-a"));
        client.prepareResponse(ApiKey.PRODUCE, produce(Errors.NONE));
        client.prepareResponse(ApiKey.FIND_COORDINATOR, coordinator(Errors.NONE));
        client.prepareResponse(ApiKey.TXN_OFFSET_COMMIT, new TxnOffsetCommitResponse(0,
                List.of(new TxnOffsetCommitResponse.PartitionResult("in", 0, Errors.NONE.code()))));
        for (int i = 0; i < 4; i++) {
            step();
        }
        assertThat(first).succeedsWithin(AWAIT);
        offsets.await(0);
        assertThat(client.requests(ApiKey.PRODUCE).get(0).body().maxUsableVersion()).isGreaterThanOrEqualTo((short) 12);
        assertThat(client.requests(ApiKey.TXN_OFFSET_COMMIT).get(0).body().maxUsableVersion()).isEqualTo((short) 5);

        TransactionResult commit = transactions.beginCommit();
        client.prepareResponse(ApiKey.END_TXN, new EndTxnResponse(0, Errors.NONE.code(), PRODUCER_ID, (short) 1));
        step();
        step();
        commit.await(0);
        assertThat(client.requests(ApiKey.END_TXN).get(0).body().maxUsableVersion()).isEqualTo((short) 5);
        assertThat(transactions.epoch()).as("the coordinator bumped the epoch for the next transaction")
                .isEqualTo((short) 1);

        transactions.beginTransaction();
        send(0, "b");
        client.prepareResponse(ApiKey.DESCRIBE_TRANSACTIONS, coordinatorState("CompleteCommit"));
        step();
        step();
        step();
        assertThat(sentBatches).hasSize(2);
        assertThat(sentBatches.get(1).producerEpoch()).isEqualTo((short) 1);
        assertThat(sentBatches.get(1).baseSequence()).as("a new epoch numbers from 0").isZero();
        assertThat(requestKeys()).doesNotContain(ApiKey.ADD_PARTITIONS_TO_TXN, ApiKey.ADD_OFFSETS_TO_TXN);
    }

    @Test
    void underTransactionsV2AProduceAnsweredConcurrentTransactionsIsRetriedAfterAShortBackoff() {
        client.finalizedFeature("transaction.version", (short) 2);
        initialise();
        transactions.beginTransaction();
        CompletableFuture<RecordMetadata> record = send(0, "a");
        client.prepareResponse(ApiKey.PRODUCE, produce(Errors.CONCURRENT_TRANSACTIONS));
        step();
        step();
        assertThat(client.requests(ApiKey.PRODUCE)).hasSize(1);
        assertThat(record).isNotDone();

        advance(TransactionManager.CONCURRENT_TRANSACTIONS_BACKOFF_MS - 1);
        assertThat(client.requests(ApiKey.PRODUCE)).as("still backing off").hasSize(1);
        client.prepareResponse(ApiKey.PRODUCE, produce(Errors.NONE));
        advance(1); // 20 ms, not the 1000 ms retry backoff
        step();
        assertThat(client.requests(ApiKey.PRODUCE)).as("the previous transaction's markers are written by now")
                .hasSize(2);
        assertThat(record).succeedsWithin(AWAIT);
        assertThat(sentBatches.get(1).baseSequence()).as("the same batch again").isZero();
    }

    @Test
    void otherRetriableProduceErrorsKeepTheFullBackoff() {
        client.finalizedFeature("transaction.version", (short) 2);
        initialise();
        transactions.beginTransaction();
        CompletableFuture<RecordMetadata> record = send(0, "a");
        client.prepareResponse(ApiKey.PRODUCE, produce(Errors.NOT_ENOUGH_REPLICAS));
        step();
        step();
        advance(TransactionManager.CONCURRENT_TRANSACTIONS_BACKOFF_MS * 10);
        assertThat(client.requests(ApiKey.PRODUCE)).as("at least 800 ms (1000 ms less 20 % jitter)").hasSize(1);
        client.prepareResponse(ApiKey.PRODUCE, produce(Errors.NONE));
        advance(1000);
        step();
        assertThat(client.requests(ApiKey.PRODUCE)).hasSize(2);
        assertThat(record).succeedsWithin(AWAIT);
    }

    @Test
    void anEndTxnAnsweredConcurrentTransactionsIsRetriedAfterAShortBackoffAndLoadInProgressAfterTheFullOne() {
        initialise();
        transactions.beginTransaction();
        send(0, "a");
        client.prepareResponse(ApiKey.ADD_PARTITIONS_TO_TXN, addPartitions(Errors.NONE));
        client.prepareResponse(ApiKey.PRODUCE, produce(Errors.NONE));
        for (int i = 0; i < 4; i++) {
            step();
        }
        TransactionResult commit = transactions.beginCommit();
        client.prepareResponse(ApiKey.END_TXN, endTxn(Errors.CONCURRENT_TRANSACTIONS));
        step();
        step();
        assertThat(client.requests(ApiKey.END_TXN)).hasSize(1);
        client.prepareResponse(ApiKey.END_TXN, endTxn(Errors.COORDINATOR_LOAD_IN_PROGRESS));
        advance(TransactionManager.CONCURRENT_TRANSACTIONS_BACKOFF_MS);
        step();
        assertThat(client.requests(ApiKey.END_TXN)).as("retried after 20 ms").hasSize(2);
        client.prepareResponse(ApiKey.END_TXN, endTxn(Errors.NONE));
        advance(TransactionManager.CONCURRENT_TRANSACTIONS_BACKOFF_MS * 10);
        assertThat(client.requests(ApiKey.END_TXN)).as("a loading coordinator gets the full backoff").hasSize(2);
        advance(2500); // the second failed attempt: 2000 ms +- 20 %
        step();
        assertThat(client.requests(ApiKey.END_TXN)).hasSize(3);
        assertThat(commit.isDone()).isTrue();
        commit.await(0);
    }

    /** Transactions v2, one transaction committed (EndTxn v5 bumped the epoch to 1), the next one begun. */
    private CompletableFuture<RecordMetadata> commitOneThenSendInTheNext() {
        client.finalizedFeature("transaction.version", (short) 2);
        initialise();
        transactions.beginTransaction();
        send(0, "a");
        client.prepareResponse(ApiKey.PRODUCE, produce(Errors.NONE));
        step();
        step();
        TransactionResult commit = transactions.beginCommit();
        client.prepareResponse(ApiKey.END_TXN, new EndTxnResponse(0, Errors.NONE.code(), PRODUCER_ID, (short) 1));
        step();
        step();
        commit.await(0);
        transactions.beginTransaction();
        return send(1, "b");
    }

    @Test
    void underTransactionsV2TheNextTransactionWaitsUntilTheCoordinatorHasWrittenThePreviousOnesMarkers() {
        CompletableFuture<RecordMetadata> next = commitOneThenSendInTheNext();
        step();
        assertThat(requestKeys()).as("the coordinator is asked at once, before the next batch goes")
                .endsWith(ApiKey.END_TXN, ApiKey.DESCRIBE_TRANSACTIONS);
        client.respond(coordinatorState("PrepareCommit"));
        step();
        step();
        assertThat(client.requests(ApiKey.PRODUCE)).as("markers still being written: the batch waits").hasSize(1);
        assertThat(client.requests(ApiKey.DESCRIBE_TRANSACTIONS)).as("asked again after 1 ms, not before")
                .hasSize(1);

        advance(1);
        assertThat(client.requests(ApiKey.DESCRIBE_TRANSACTIONS)).hasSize(2);
        client.respond(coordinatorState("CompleteCommit"));
        client.prepareResponse(ApiKey.PRODUCE, produce(Errors.NONE));
        step();
        step();
        step();
        assertThat(client.requests(ApiKey.PRODUCE)).hasSize(2);
        assertThat(next).succeedsWithin(AWAIT);
        assertThat(sentBatches.get(1).producerEpoch()).isEqualTo((short) 1);
        assertThat(transactions.markerChecks()).isEqualTo(2);
    }

    @Test
    void aCoordinatorThatCannotSayLetsTheBatchesGoWithoutFailingTheTransaction() {
        CompletableFuture<RecordMetadata> next = commitOneThenSendInTheNext();
        step();
        client.respond(new DescribeTransactionsResponse(0, Errors.COORDINATOR_LOAD_IN_PROGRESS.code(), null, -1,
                (short) -1));
        client.prepareResponse(ApiKey.PRODUCE, produce(Errors.NONE));
        step();
        step();
        step();
        assertThat(next).succeedsWithin(AWAIT);
        assertThat(transactions.state()).isEqualTo(TransactionState.IN_TRANSACTION);
        assertThat(client.requests(ApiKey.DESCRIBE_TRANSACTIONS)).hasSize(1);
    }

    @Test
    void aBrokerWithoutDescribeTransactionsIsNoFailure() {
        client.unsupported(ApiKey.DESCRIBE_TRANSACTIONS);
        CompletableFuture<RecordMetadata> next = commitOneThenSendInTheNext();
        client.prepareResponse(ApiKey.PRODUCE, produce(Errors.NONE));
        for (int i = 0; i < 4; i++) {
            step();
        }
        assertThat(next).succeedsWithin(AWAIT);
        assertThat(transactions.state()).isEqualTo(TransactionState.IN_TRANSACTION);
        TransactionResult commit = transactions.beginCommit();
        client.prepareResponse(ApiKey.END_TXN, new EndTxnResponse(0, Errors.NONE.code(), PRODUCER_ID, (short) 2));
        step();
        step();
        commit.await(0);
    }

    @Test
    void theHoldEndsAfterItsLimitWhenTheMarkersTakeLonger() {
        CompletableFuture<RecordMetadata> next = commitOneThenSendInTheNext();
        long waitedMs = 0;
        while (waitedMs < 2_000 && client.requests(ApiKey.PRODUCE).size() < 2) {
            if (!client.inFlight().isEmpty()) {
                client.respond(coordinatorState("PrepareCommit"));
            }
            advance(1);
            waitedMs++;
        }
        assertThat(client.requests(ApiKey.PRODUCE)).as("released after about a second").hasSize(2);
        assertThat(waitedMs).isBetween(990L, 1_010L);
        assertThat(transactions.markerChecks()).as("asked every 4 ms at most").isBetween(200, 260);
        client.respond(produce(Errors.NONE));
        step();
        assertThat(next).succeedsWithin(AWAIT);
    }
}
