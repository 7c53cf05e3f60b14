package dev.courier.producer.internals.protocol;

import static dev.courier.producer.internals.protocol.ProtocolTestSupport.CLIENT_ID;
import static dev.courier.producer.internals.protocol.ProtocolTestSupport.concat;
import static dev.courier.producer.internals.protocol.ProtocolTestSupport.kafkaBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The transaction requests we write are read back by kafka-clients' generated parsers, and the responses
 * kafka-clients writes are read by ours, at every version we speak.
 */
class TransactionProtocolCrossCheckTests {

    @ParameterizedTest(name = "v{0}")
    @ValueSource(shorts = {3})
    void findCoordinator(short version) {
        RequestHeader header = new RequestHeader(ApiKey.FIND_COORDINATOR, version, 7, CLIENT_ID);
        ByteBufferAccessor accessor = body(new FindCoordinatorRequest("txn-1", FindCoordinatorRequest.TRANSACTION)
                .toFrame(header), header);
        FindCoordinatorRequestData data = new FindCoordinatorRequestData(accessor, version);
        assertThat(accessor.remaining()).isZero();
        assertThat(data.key()).isEqualTo("txn-1");
        assertThat(data.keyType()).isEqualTo((byte) 1);

        FindCoordinatorResponse response = FindCoordinatorResponse.parse(kafkaBytes(new FindCoordinatorResponseData()
                .setThrottleTimeMs(5).setErrorCode((short) 15).setErrorMessage(null).setNodeId(2).setHost("broker-2")
                .setPort(9093), version), version);
        assertThat(response).isEqualTo(new FindCoordinatorResponse(5, (short) 15, null, 2, "broker-2", 9093));
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(shorts = {3})
    void addPartitionsToTxn(short version) {
        Map<String, List<Integer>> partitions = new LinkedHashMap<>();
        partitions.put("orders", List.of(0, 3));
        partitions.put("audit", List.of(1));
        RequestHeader header = new RequestHeader(ApiKey.ADD_PARTITIONS_TO_TXN, version, 8, CLIENT_ID);
        ByteBufferAccessor accessor = body(new AddPartitionsToTxnRequest("txn-1", 42L, (short) 3, partitions)
                .toFrame(header), header);
        AddPartitionsToTxnRequestData data = new AddPartitionsToTxnRequestData(accessor, version);
        assertThat(accessor.remaining()).isZero();
        assertThat(data.v3AndBelowTransactionalId()).isEqualTo("txn-1");
        assertThat(data.v3AndBelowProducerId()).isEqualTo(42L);
        assertThat(data.v3AndBelowProducerEpoch()).isEqualTo((short) 3);
        assertThat(data.v3AndBelowTopics().find("orders").partitions()).containsExactly(0, 3);
        assertThat(data.v3AndBelowTopics().find("audit").partitions()).containsExactly(1);

        AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResultCollection topics =
                new AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResultCollection();
        AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResultCollection results =
                new AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResultCollection();
        results.add(new AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult().setPartitionIndex(0)
                .setPartitionErrorCode((short) 0));
        results.add(new AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult().setPartitionIndex(3)
                .setPartitionErrorCode((short) 51));
        topics.add(new AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult().setName("orders")
                .setResultsByPartition(results));
        AddPartitionsToTxnResponse response = AddPartitionsToTxnResponse.parse(kafkaBytes(
                new AddPartitionsToTxnResponseData().setThrottleTimeMs(1).setResultsByTopicV3AndBelow(topics),
                version), version);
        assertThat(response.results()).containsExactly(
                new AddPartitionsToTxnResponse.PartitionResult("orders", 0, (short) 0),
                new AddPartitionsToTxnResponse.PartitionResult("orders", 3, (short) 51));
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(shorts = {3, 4})
    void addOffsetsToTxn(short version) {
        RequestHeader header = new RequestHeader(ApiKey.ADD_OFFSETS_TO_TXN, version, 9, CLIENT_ID);
        ByteBufferAccessor accessor = body(new AddOffsetsToTxnRequest("txn-1", 42L, (short) 3, "group-a")
                .toFrame(header), header);
        AddOffsetsToTxnRequestData data = new AddOffsetsToTxnRequestData(accessor, version);
        assertThat(accessor.remaining()).isZero();
        assertThat(data.transactionalId()).isEqualTo("txn-1");
        assertThat(data.producerId()).isEqualTo(42L);
        assertThat(data.producerEpoch()).isEqualTo((short) 3);
        assertThat(data.groupId()).isEqualTo("group-a");

        assertThat(ErrorCodeResponse.parse(ApiKey.ADD_OFFSETS_TO_TXN, kafkaBytes(new AddOffsetsToTxnResponseData()
                .setThrottleTimeMs(2).setErrorCode((short) 51), version), version))
                .isEqualTo(new ErrorCodeResponse(2, (short) 51));
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(shorts = {3, 4, 5})
    void endTxn(short version) {
        RequestHeader header = new RequestHeader(ApiKey.END_TXN, version, 10, CLIENT_ID);
        ByteBufferAccessor accessor = body(new EndTxnRequest("txn-1", 42L, (short) 3, true, (short) 5)
                .toFrame(header), header);
        EndTxnRequestData data = new EndTxnRequestData(accessor, version);
        assertThat(accessor.remaining()).isZero();
        assertThat(data.transactionalId()).isEqualTo("txn-1");
        assertThat(data.producerId()).isEqualTo(42L);
        assertThat(data.producerEpoch()).isEqualTo((short) 3);
        assertThat(data.committed()).isTrue();

        EndTxnResponse response = EndTxnResponse.parse(kafkaBytes(new EndTxnResponseData().setThrottleTimeMs(0)
                .setErrorCode((short) 90).setProducerId(43L).setProducerEpoch((short) 4), version), version);
        assertThat(response).isEqualTo(version >= 5 ? new EndTxnResponse(0, (short) 90, 43L, (short) 4)
                : new EndTxnResponse(0, (short) 90, -1L, (short) -1));
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(shorts = {3, 4, 5})
    void txnOffsetCommit(short version) {
        Map<String, List<TxnOffsetCommitRequest.PartitionOffset>> offsets = new LinkedHashMap<>();
        offsets.put("in", List.of(new TxnOffsetCommitRequest.PartitionOffset(0, 17L, "m"),
                new TxnOffsetCommitRequest.PartitionOffset(2, 5L, null)));
        RequestHeader header = new RequestHeader(ApiKey.TXN_OFFSET_COMMIT, version, 11, CLIENT_ID);
        ByteBufferAccessor accessor = body(new TxnOffsetCommitRequest("txn-1", "group-a", 42L, (short) 3, 7,
                "member-1", "instance-1", offsets, (short) 5).toFrame(header), header);
        TxnOffsetCommitRequestData data = new TxnOffsetCommitRequestData(accessor, version);
        assertThat(accessor.remaining()).isZero();
        assertThat(data.transactionalId()).isEqualTo("txn-1");
        assertThat(data.groupId()).isEqualTo("group-a");
        assertThat(data.producerId()).isEqualTo(42L);
        assertThat(data.producerEpoch()).isEqualTo((short) 3);
        assertThat(data.generationIdOrMemberEpoch()).isEqualTo(7);
        assertThat(data.memberId()).isEqualTo("member-1");
        assertThat(data.groupInstanceId()).isEqualTo("instance-1");
        assertThat(data.topics()).hasSize(1);
        TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic = data.topics().get(0);
        assertThat(topic.name()).isEqualTo("in");
        assertThat(topic.partitions()).extracting(p -> p.partitionIndex()).containsExactly(0, 2);
        assertThat(topic.partitions()).extracting(p -> p.committedOffset()).containsExactly(17L, 5L);
        assertThat(topic.partitions()).extracting(p -> p.committedMetadata()).containsExactly("m", null);
        assertThat(topic.partitions()).extracting(p -> p.committedLeaderEpoch()).containsExactly(-1, -1);

        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData().setThrottleTimeMs(3).setTopics(List.of(
                new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic().setName("in").setPartitions(List.of(
                        new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition().setPartitionIndex(0)
                                .setErrorCode((short) 0),
                        new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition().setPartitionIndex(2)
                                .setErrorCode((short) 25)))));
        assertThat(TxnOffsetCommitResponse.parse(kafkaBytes(response, version), version).results()).containsExactly(
                new TxnOffsetCommitResponse.PartitionResult("in", 0, (short) 0),
                new TxnOffsetCommitResponse.PartitionResult("in", 2, (short) 25));
    }

    /** Checks the frame size and header with kafka-clients; returns an accessor positioned at the body. */
    @ParameterizedTest(name = "v{0}")
    @ValueSource(shorts = {0})
    void describeTransactions(short version) {
        RequestHeader header = new RequestHeader(ApiKey.DESCRIBE_TRANSACTIONS, version, 9, CLIENT_ID);
        ByteBufferAccessor accessor = body(new DescribeTransactionsRequest("txn-1").toFrame(header), header);
        DescribeTransactionsRequestData data = new DescribeTransactionsRequestData(accessor, version);
        assertThat(accessor.remaining()).isZero();
        assertThat(data.transactionalIds()).containsExactly("txn-1");

        DescribeTransactionsResponseData.TopicDataCollection topics = new DescribeTransactionsResponseData.TopicDataCollection();
        topics.add(new DescribeTransactionsResponseData.TopicData().setTopic("orders").setPartitions(List.of(0, 4)));
        DescribeTransactionsResponseData answer = new DescribeTransactionsResponseData().setThrottleTimeMs(3)
                .setTransactionStates(List.of(new DescribeTransactionsResponseData.TransactionState()
                        .setErrorCode((short) 0).setTransactionalId("txn-1").setTransactionState("PrepareCommit")
                        .setTransactionTimeoutMs(60_000).setTransactionStartTimeMs(1_700_000_000_000L)
                        .setProducerId(42L).setProducerEpoch((short) 7).setTopics(topics)));
        assertThat(DescribeTransactionsResponse.parse(kafkaBytes(answer, version), version))
                .isEqualTo(new DescribeTransactionsResponse(3, (short) 0, "PrepareCommit", 42L, (short) 7));

        DescribeTransactionsResponse refused = DescribeTransactionsResponse.parse(kafkaBytes(
                new DescribeTransactionsResponseData().setTransactionStates(List.of(
                        new DescribeTransactionsResponseData.TransactionState().setErrorCode((short) 53)
                                .setTransactionalId("txn-1").setTransactionState("").setProducerId(-1)
                                .setProducerEpoch((short) -1))), version), version);
        assertThat(refused.errorCode()).isEqualTo((short) 53);
        assertThat(DescribeTransactionsResponse.parse(kafkaBytes(new DescribeTransactionsResponseData(), version),
                version).errorCode()).as("no state at all").isEqualTo(Errors.UNKNOWN_SERVER_ERROR.code());
    }

    private static ByteBufferAccessor body(ByteBuffer[] frame, RequestHeader header) {
        ByteBuffer buf = ByteBuffer.wrap(concat(frame));
        assertThat(buf.getInt()).isEqualTo(buf.remaining());
        RequestHeaderData headerData = new RequestHeaderData(new ByteBufferAccessor(buf), header.headerVersion());
        assertThat(headerData.requestApiKey()).isEqualTo(header.apiKey().id);
        assertThat(headerData.requestApiVersion()).isEqualTo(header.apiVersion());
        assertThat(headerData.clientId()).isEqualTo(CLIENT_ID);
        return new ByteBufferAccessor(buf);
    }
}
