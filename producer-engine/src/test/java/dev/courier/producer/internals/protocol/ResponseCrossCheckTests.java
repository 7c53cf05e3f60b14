package dev.courier.producer.internals.protocol;

import static dev.courier.producer.internals.protocol.ProtocolTestSupport.kafkaBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.internals.protocol.ApiVersionsResponse.ApiVersion;
import dev.courier.producer.internals.protocol.ApiVersionsResponse.FinalizedFeature;
import dev.courier.producer.internals.protocol.MetadataResponse.Broker;
import dev.courier.producer.internals.protocol.MetadataResponse.PartitionMetadata;
import dev.courier.producer.internals.protocol.MetadataResponse.TopicMetadata;
import dev.courier.producer.internals.protocol.ProduceResponse.PartitionResponse;
import dev.courier.producer.internals.protocol.ProduceResponse.RecordError;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.types.RawTaggedField;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Responses encoded by kafka-clients' generated writers, at every version we support, must parse into
 * the same values. Unknown tagged fields are added wherever a struct allows them, to prove we skip them.
 */
class ResponseCrossCheckTests {

    private static final UUID ORDERS_ID = UUID.fromString("5b1e2a6c-7d3f-4e8a-9c0b-1a2b3c4d5e6f");
    private static final RawTaggedField FUTURE_TAG = new RawTaggedField(42, new byte[] {1, 2, 3});

    static Stream<Short> metadataVersions() {
        return versions(ApiKey.METADATA);
    }

    static Stream<Short> produceVersions() {
        return versions(ApiKey.PRODUCE);
    }

    static Stream<Short> initProducerIdVersions() {
        return versions(ApiKey.INIT_PRODUCER_ID);
    }

    static Stream<Short> apiVersionsVersions() {
        return versions(ApiKey.API_VERSIONS);
    }

    @ParameterizedTest(name = "v{0}")
    @MethodSource("metadataVersions")
    void readsAMetadataResponseWrittenByKafka(short version) {
        MetadataResponseData data = new MetadataResponseData().setThrottleTimeMs(12).setClusterId("cluster-a")
                .setControllerId(2).setErrorCode(version >= 13 ? (short) 129 : 0);
        data.brokers().add(new MetadataResponseData.MetadataResponseBroker().setNodeId(1).setHost("b1").setPort(9092)
                .setRack("rack-1"));
        data.brokers().add(new MetadataResponseData.MetadataResponseBroker().setNodeId(2).setHost("b2").setPort(9093)
                .setRack(null));
        MetadataResponseData.MetadataResponsePartition p0 = new MetadataResponseData.MetadataResponsePartition()
                .setPartitionIndex(0).setLeaderId(1).setLeaderEpoch(5).setReplicaNodes(List.of(1, 2))
                .setIsrNodes(List.of(1)).setOfflineReplicas(List.of(2));
        p0.unknownTaggedFields().add(FUTURE_TAG);
        MetadataResponseData.MetadataResponsePartition p1 = new MetadataResponseData.MetadataResponsePartition()
                .setErrorCode((short) 5).setPartitionIndex(1).setLeaderId(-1).setLeaderEpoch(-1)
                .setReplicaNodes(List.of(2)).setIsrNodes(List.of()).setOfflineReplicas(List.of());
        MetadataResponseData.MetadataResponseTopic orders = new MetadataResponseData.MetadataResponseTopic()
                .setName("orders").setTopicId(new Uuid(ORDERS_ID.getMostSignificantBits(),
                        ORDERS_ID.getLeastSignificantBits()))
                .setIsInternal(false).setPartitions(List.of(p0, p1)).setTopicAuthorizedOperations(0x1F);
        orders.unknownTaggedFields().add(FUTURE_TAG);
        data.topics().add(orders);
        data.topics().add(new MetadataResponseData.MetadataResponseTopic().setErrorCode((short) 3).setName("missing")
                .setIsInternal(true));
        if (version >= 12) {
            data.topics().add(new MetadataResponseData.MetadataResponseTopic().setErrorCode((short) 100)
                    .setName(null).setTopicId(Uuid.fromString("AAAAAAAAAAEAAAAAAAAAAg")));
        }
        data.unknownTaggedFields().add(FUTURE_TAG);
        ByteBuffer body = kafkaBytes(data, version);

        MetadataResponse response = MetadataResponse.parse(body, version);

        assertThat(body.hasRemaining()).isFalse();
        assertThat(response.throttleTimeMs()).isEqualTo(12);
        assertThat(response.brokers()).containsExactly(new Broker(1, "b1", 9092, "rack-1"),
                new Broker(2, "b2", 9093, null));
        assertThat(response.clusterId()).isEqualTo("cluster-a");
        assertThat(response.controllerId()).isEqualTo(2);
        assertThat(response.errorCode()).isEqualTo(version >= 13 ? (short) 129 : (short) 0);
        assertThat(response.topics()).hasSize(version >= 12 ? 3 : 2);

        TopicMetadata topic = response.topics().get(0);
        assertThat(topic.errorCode()).isZero();
        assertThat(topic.name()).isEqualTo("orders");
        assertThat(topic.topicId()).isEqualTo(version >= 10 ? ORDERS_ID : null);
        assertThat(topic.isInternal()).isFalse();
        assertThat(topic.partitions()).hasSize(2);
        PartitionMetadata leader = topic.partitions().get(0);
        assertThat(leader.errorCode()).isZero();
        assertThat(leader.partition()).isZero();
        assertThat(leader.leaderId()).isEqualTo(1);
        assertThat(leader.leaderEpoch()).isEqualTo(5);
        assertThat(leader.replicas()).containsExactly(1, 2);
        assertThat(leader.isr()).containsExactly(1);
        assertThat(leader.offlineReplicas()).containsExactly(2);
        PartitionMetadata leaderless = topic.partitions().get(1);
        assertThat(leaderless.errorCode()).isEqualTo((short) 5);
        assertThat(leaderless.leaderId()).isEqualTo(-1);
        assertThat(leaderless.isr()).isEmpty();

        TopicMetadata missing = response.topics().get(1);
        assertThat(missing.errorCode()).isEqualTo((short) 3);
        assertThat(missing.name()).isEqualTo("missing");
        assertThat(missing.topicId()).isNull();
        assertThat(missing.isInternal()).isTrue();
        assertThat(missing.partitions()).isEmpty();
        if (version >= 12) {
            TopicMetadata unknownId = response.topics().get(2);
            assertThat(unknownId.name()).isNull();
            assertThat(unknownId.topicId()).isEqualTo(new UUID(1L, 2L));
        }
    }

    @ParameterizedTest(name = "v{0}")
    @MethodSource("produceVersions")
    void readsAProduceResponseWrittenByKafka(short version) {
        boolean tagged = version >= 10;
        ProduceResponseData.PartitionProduceResponse ok = new ProduceResponseData.PartitionProduceResponse()
                .setIndex(0).setBaseOffset(1000L).setLogAppendTimeMs(1700000000000L).setLogStartOffset(10L);
        ok.unknownTaggedFields().add(FUTURE_TAG);
        ProduceResponseData.PartitionProduceResponse invalid = new ProduceResponseData.PartitionProduceResponse()
                .setIndex(1).setErrorCode((short) 87).setBaseOffset(-1L).setErrorMessage("bad records")
                .setRecordErrors(List.of(
                        new ProduceResponseData.BatchIndexAndErrorMessage().setBatchIndex(3)
                                .setBatchIndexErrorMessage("null key on compacted topic"),
                        new ProduceResponseData.BatchIndexAndErrorMessage().setBatchIndex(4)));
        ProduceResponseData.PartitionProduceResponse moved = new ProduceResponseData.PartitionProduceResponse()
                .setIndex(2).setErrorCode((short) 6).setBaseOffset(-1L);
        if (tagged) {
            moved.setCurrentLeader(new ProduceResponseData.LeaderIdAndEpoch().setLeaderId(3).setLeaderEpoch(9));
        }
        // after a partition with a CurrentLeader: the parser's reused tag reader must not carry it over
        ProduceResponseData.PartitionProduceResponse after = new ProduceResponseData.PartitionProduceResponse()
                .setIndex(3).setBaseOffset(2000L);
        ProduceResponseData.TopicProduceResponse topic = new ProduceResponseData.TopicProduceResponse()
                .setPartitionResponses(List.of(ok, invalid, moved, after));
        if (version >= 13) {
            topic.setTopicId(new Uuid(ORDERS_ID.getMostSignificantBits(), ORDERS_ID.getLeastSignificantBits()));
        } else {
            topic.setName("orders");
        }
        ProduceResponseData data = new ProduceResponseData().setThrottleTimeMs(7);
        data.responses().add(topic);
        if (tagged) {
            data.nodeEndpoints().add(new ProduceResponseData.NodeEndpoint().setNodeId(3).setHost("b3").setPort(9094)
                    .setRack("r3"));
        }
        data.unknownTaggedFields().add(FUTURE_TAG);
        ByteBuffer body = kafkaBytes(data, version);

        ProduceResponse response = ProduceResponse.parse(body, version);

        assertThat(body.hasRemaining()).isFalse();
        assertThat(response.throttleTimeMs()).isEqualTo(7);
        assertThat(response.topics()).hasSize(1);
        assertThat(response.topics().get(0).name()).isEqualTo(version >= 13 ? null : "orders");
        assertThat(response.topics().get(0).topicId()).isEqualTo(version >= 13 ? ORDERS_ID : null);
        assertThat(response.topics().get(0).partitions()).containsExactly(
                new PartitionResponse(0, (short) 0, 1000L, 1700000000000L, 10L, List.of(), null, -1, -1),
                new PartitionResponse(1, (short) 87, -1L, -1L, -1L,
                        List.of(new RecordError(3, "null key on compacted topic"), new RecordError(4, null)),
                        "bad records", -1, -1),
                new PartitionResponse(2, (short) 6, -1L, -1L, -1L, List.of(), null, tagged ? 3 : -1,
                        tagged ? 9 : -1),
                new PartitionResponse(3, (short) 0, 2000L, -1L, -1L, List.of(), null, -1, -1));
        assertThat(response.nodeEndpoints()).isEqualTo(tagged
                ? List.of(new ProduceResponse.NodeEndpoint(3, "b3", 9094, "r3")) : List.of());
    }

    @ParameterizedTest(name = "v{0}")
    @MethodSource("initProducerIdVersions")
    void readsAnInitProducerIdResponseWrittenByKafka(short version) {
        InitProducerIdResponseData data = new InitProducerIdResponseData().setThrottleTimeMs(4)
                .setErrorCode((short) 51).setProducerId(123456789012L).setProducerEpoch((short) 17);
        data.unknownTaggedFields().add(FUTURE_TAG);
        ByteBuffer body = kafkaBytes(data, version);

        Object response = Responses.parse(ApiKey.INIT_PRODUCER_ID, body, version);

        assertThat(body.hasRemaining()).isFalse();
        assertThat(response).isEqualTo(new InitProducerIdResponse(4, (short) 51, 123456789012L, (short) 17));
    }

    @ParameterizedTest(name = "v{0}")
    @MethodSource("apiVersionsVersions")
    void readsAnApiVersionsResponseWrittenByKafka(short version) {
        ApiVersionsResponseData data = new ApiVersionsResponseData().setThrottleTimeMs(version >= 1 ? 3 : 0)
                .setFinalizedFeaturesEpoch(8L).setZkMigrationReady(true);
        data.apiKeys().add(new ApiVersionsResponseData.ApiVersion().setApiKey((short) 0).setMinVersion((short) 0)
                .setMaxVersion((short) 13));
        data.apiKeys().add(new ApiVersionsResponseData.ApiVersion().setApiKey((short) 22).setMinVersion((short) 0)
                .setMaxVersion((short) 5));
        data.supportedFeatures().add(new ApiVersionsResponseData.SupportedFeatureKey().setName("transaction.version")
                .setMinVersion((short) 0).setMaxVersion((short) 2));
        data.finalizedFeatures().add(new ApiVersionsResponseData.FinalizedFeatureKey().setName("transaction.version")
                .setMaxVersionLevel((short) 2).setMinVersionLevel((short) 2));
        ByteBuffer body = kafkaBytes(data, version);

        ApiVersionsResponse response = ApiVersionsResponse.parse(body, version);

        assertThat(body.hasRemaining()).isFalse();
        assertThat(response.errorCode()).isZero();
        assertThat(response.apiKeys()).containsExactly(new ApiVersion((short) 0, (short) 0, (short) 13),
                new ApiVersion((short) 22, (short) 0, (short) 5));
        assertThat(response.throttleTimeMs()).isEqualTo(version >= 1 ? 3 : 0);
        if (version >= 3) {
            assertThat(response.finalizedFeaturesEpoch()).isEqualTo(8L);
            assertThat(response.finalizedFeatures())
                    .containsExactly(new FinalizedFeature("transaction.version", (short) 2, (short) 2));
            assertThat(response.finalizedFeatureLevel("transaction.version")).isEqualTo((short) 2);
        } else {
            assertThat(response.finalizedFeaturesEpoch()).isEqualTo(-1L);
            assertThat(response.finalizedFeatureLevel("transaction.version")).isEqualTo((short) -1);
        }
    }

    private static Stream<Short> versions(ApiKey key) {
        return IntStream.rangeClosed(key.oldestVersion, key.latestVersion).mapToObj(v -> (short) v);
    }
}
