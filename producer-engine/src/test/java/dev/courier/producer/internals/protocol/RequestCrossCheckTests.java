package dev.courier.producer.internals.protocol;

import static dev.courier.producer.internals.protocol.ProtocolTestSupport.CLIENT_ID;
import static dev.courier.producer.internals.protocol.ProtocolTestSupport.concat;
import static dev.courier.producer.internals.protocol.ProtocolTestSupport.hexBuffer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.errors.UnsupportedVersionException;
import dev.courier.producer.internals.protocol.ProduceRequest.PartitionData;
import dev.courier.producer.internals.protocol.ProduceRequest.TopicData;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every request version we write must be read back correctly by kafka-clients' generated parsers. */
class RequestCrossCheckTests {

    private static final UUID ORDERS_ID = UUID.fromString("5b1e2a6c-7d3f-4e8a-9c0b-1a2b3c4d5e6f");
    private static final UUID AUDIT_ID = UUID.fromString("00000000-0000-0001-0000-000000000002");

    static Stream<Short> produceVersions() {
        return versions(ApiKey.PRODUCE);
    }

    static Stream<Short> metadataVersions() {
        return versions(ApiKey.METADATA);
    }

    static Stream<Short> initProducerIdVersions() {
        return versions(ApiKey.INIT_PRODUCER_ID);
    }

    static Stream<Short> apiVersionsVersions() {
        return versions(ApiKey.API_VERSIONS);
    }

    @ParameterizedTest(name = "v{0}")
    @MethodSource("produceVersions")
    void kafkaReadsOurProduceRequestAtEveryVersion(short version) {
        ByteBuffer batch = hexBuffer(RequestGoldenVectorTests.B2);
        ProduceRequest request = new ProduceRequest("txn-1", (short) 1, 1234, List.of(
                new TopicData("orders", ORDERS_ID, List.of(new PartitionData(3, batch), new PartitionData(7, batch))),
                new TopicData("audit", AUDIT_ID, List.of(new PartitionData(0, batch)))));
        RequestHeader header = new RequestHeader(ApiKey.PRODUCE, version, 99, CLIENT_ID);

        ByteBufferAccessor accessor = kafkaView(request.toFrame(header), header);
        ProduceRequestData data = new ProduceRequestData(accessor, version);

        assertThat(accessor.remaining()).isZero();
        assertThat(data.transactionalId()).isEqualTo("txn-1");
        assertThat(data.acks()).isEqualTo((short) 1);
        assertThat(data.timeoutMs()).isEqualTo(1234);
        List<ProduceRequestData.TopicProduceData> topics = List.copyOf(data.topicData());
        assertThat(topics).hasSize(2);
        if (version >= 13) {
            assertThat(topics.get(0).topicId()).isEqualTo(kafkaUuid(ORDERS_ID));
            assertThat(topics.get(1).topicId()).isEqualTo(kafkaUuid(AUDIT_ID));
        } else {
            assertThat(topics.get(0).name()).isEqualTo("orders");
            assertThat(topics.get(1).name()).isEqualTo("audit");
        }
        assertThat(topics.get(0).partitionData()).extracting(ProduceRequestData.PartitionProduceData::index)
                .containsExactly(3, 7);
        for (ProduceRequestData.TopicProduceData topic : topics) {
            for (ProduceRequestData.PartitionProduceData partition : topic.partitionData()) {
                assertThat(((MemoryRecords) partition.records()).buffer()).isEqualTo(batch);
            }
        }
    }

    @Test
    void kafkaReadsANullRecordsFieldAsNull() {
        ProduceRequest request = new ProduceRequest(null, (short) -1, 100,
                List.of(new TopicData("t", null, List.of(new PartitionData(0, null)))));
        RequestHeader header = new RequestHeader(ApiKey.PRODUCE, (short) 11, 1, CLIENT_ID);

        ByteBuffer[] frame = request.toFrame(header);
        ProduceRequestData data = new ProduceRequestData(kafkaView(frame, header), (short) 11);

        assertThat(frame).hasSize(1);
        assertThat(data.transactionalId()).isNull();
        assertThat(data.topicData().iterator().next().partitionData().get(0).records()).isNull();
    }

    @Test
    void usesProduceV13OnlyWhenEveryTopicHasANonZeroId() {
        List<PartitionData> partitions = List.of(new PartitionData(0, hexBuffer(RequestGoldenVectorTests.B2)));
        ProduceRequest allKnown = new ProduceRequest(null, (short) -1, 1, List.of(
                new TopicData("a", ORDERS_ID, partitions), new TopicData("b", AUDIT_ID, partitions)));
        ProduceRequest oneMissing = new ProduceRequest(null, (short) -1, 1, List.of(
                new TopicData("a", ORDERS_ID, partitions), new TopicData("b", null, partitions)));
        ProduceRequest oneZero = new ProduceRequest(null, (short) -1, 1, List.of(
                new TopicData("a", new UUID(0L, 0L), partitions)));

        assertThat(allKnown.maxUsableVersion()).isEqualTo((short) 13);
        assertThat(oneMissing.maxUsableVersion()).isEqualTo((short) 12);
        assertThat(oneZero.maxUsableVersion()).isEqualTo((short) 12);
        assertThatThrownBy(() -> oneMissing.toFrame(new RequestHeader(ApiKey.PRODUCE, (short) 13, 1, CLIENT_ID)))
                .isInstanceOf(UnsupportedVersionException.class);
    }

    @Test
    void refusesVersionsOutsideTheSupportedRange() {
        ProduceRequest request = new ProduceRequest(null, (short) -1, 1, List.of());
        assertThatThrownBy(() -> request.toFrame(new RequestHeader(ApiKey.PRODUCE, (short) 8, 1, CLIENT_ID)))
                .isInstanceOf(UnsupportedVersionException.class);
        assertThatThrownBy(() -> request.toFrame(new RequestHeader(ApiKey.METADATA, (short) 9, 1, CLIENT_ID)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "v{0}")
    @MethodSource("metadataVersions")
    void kafkaReadsOurMetadataRequestForNamedTopicsAtEveryVersion(short version) {
        RequestHeader header = new RequestHeader(ApiKey.METADATA, version, 5, CLIENT_ID);

        ByteBufferAccessor accessor = kafkaView(new MetadataRequest(List.of("orders", "audit"), true).toFrame(header),
                header);
        MetadataRequestData data = new MetadataRequestData(accessor, version);

        assertThat(accessor.remaining()).isZero();
        assertThat(data.topics()).extracting(MetadataRequestData.MetadataRequestTopic::name)
                .containsExactly("orders", "audit");
        assertThat(data.topics()).extracting(MetadataRequestData.MetadataRequestTopic::topicId)
                .containsOnly(Uuid.ZERO_UUID);
        assertThat(data.allowAutoTopicCreation()).isTrue();
        assertThat(data.includeTopicAuthorizedOperations()).isFalse();
        assertThat(data.includeClusterAuthorizedOperations()).isFalse();
    }

    @ParameterizedTest(name = "v{0}")
    @MethodSource("metadataVersions")
    void kafkaReadsOurAllTopicsMetadataRequestAtEveryVersion(short version) {
        RequestHeader header = new RequestHeader(ApiKey.METADATA, version, 5, CLIENT_ID);

        ByteBufferAccessor accessor = kafkaView(new MetadataRequest(null, false).toFrame(header), header);
        MetadataRequestData data = new MetadataRequestData(accessor, version);

        assertThat(accessor.remaining()).isZero();
        assertThat(data.topics()).isNull();
        assertThat(data.allowAutoTopicCreation()).isFalse();
    }

    @ParameterizedTest(name = "v{0}")
    @MethodSource("initProducerIdVersions")
    void kafkaReadsOurInitProducerIdRequestAtEveryVersion(short version) {
        boolean withId = version >= 3;
        InitProducerIdRequest request = new InitProducerIdRequest("txn-1", 60000, withId ? 42L : -1L,
                withId ? (short) 3 : (short) -1);
        RequestHeader header = new RequestHeader(ApiKey.INIT_PRODUCER_ID, version, 6, CLIENT_ID);

        ByteBufferAccessor accessor = kafkaView(request.toFrame(header), header);
        InitProducerIdRequestData data = new InitProducerIdRequestData(accessor, version);

        assertThat(accessor.remaining()).isZero();
        assertThat(data.transactionalId()).isEqualTo("txn-1");
        assertThat(data.transactionTimeoutMs()).isEqualTo(60000);
        assertThat(data.producerId()).isEqualTo(withId ? 42L : -1L);
        assertThat(data.producerEpoch()).isEqualTo(withId ? (short) 3 : (short) -1);
    }

    @Test
    void refusesAnExistingProducerIdAtInitProducerIdV2() {
        InitProducerIdRequest request = new InitProducerIdRequest("txn-1", 60000, 42L, (short) 3);
        assertThatThrownBy(() -> request.toFrame(new RequestHeader(ApiKey.INIT_PRODUCER_ID, (short) 2, 1, CLIENT_ID)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "v{0}")
    @MethodSource("apiVersionsVersions")
    void kafkaReadsOurApiVersionsRequestAtEveryVersion(short version) {
        RequestHeader header = new RequestHeader(ApiKey.API_VERSIONS, version, 1, CLIENT_ID);

        ByteBufferAccessor accessor = kafkaView(new ApiVersionsRequest("courier", "0.1.0").toFrame(header), header);
        ApiVersionsRequestData data = new ApiVersionsRequestData(accessor, version);

        assertThat(accessor.remaining()).isZero();
        assertThat(data.clientSoftwareName()).isEqualTo(version >= 3 ? "courier" : "");
        assertThat(data.clientSoftwareVersion()).isEqualTo(version >= 3 ? "0.1.0" : "");
    }

    @Test
    void writesANullClientIdAsLengthMinusOne() {
        RequestHeader header = new RequestHeader(ApiKey.METADATA, (short) 12, 8, null);

        ByteBufferAccessor accessor = kafkaView(new MetadataRequest(List.of("t"), true).toFrame(header), header, null);

        assertThat(new MetadataRequestData(accessor, (short) 12).topics()).hasSize(1);
    }

    /**
     * Checks the frame size and, with kafka-clients, the request header; returns an accessor
     * positioned at the body.
     */
    private static ByteBufferAccessor kafkaView(ByteBuffer[] frame, RequestHeader header) {
        return kafkaView(frame, header, CLIENT_ID);
    }

    private static ByteBufferAccessor kafkaView(ByteBuffer[] frame, RequestHeader header, String clientId) {
        ByteBuffer buf = ByteBuffer.wrap(concat(frame));
        assertThat(buf.getInt()).isEqualTo(buf.remaining());
        RequestHeaderData headerData = new RequestHeaderData(new ByteBufferAccessor(buf), header.headerVersion());
        assertThat(headerData.requestApiKey()).isEqualTo(header.apiKey().id);
        assertThat(headerData.requestApiVersion()).isEqualTo(header.apiVersion());
        assertThat(headerData.correlationId()).isEqualTo(header.correlationId());
        assertThat(headerData.clientId()).isEqualTo(clientId);
        return new ByteBufferAccessor(buf);
    }

    private static Uuid kafkaUuid(UUID id) {
        return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    private static Stream<Short> versions(ApiKey key) {
        return IntStream.rangeClosed(key.oldestVersion, key.latestVersion).mapToObj(v -> (short) v);
    }
}
