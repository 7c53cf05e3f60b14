package dev.courier.producer.internals.protocol;

import static dev.courier.producer.internals.protocol.ProtocolTestSupport.hexBuffer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.internals.protocol.ApiVersionsResponse.ApiVersion;
import dev.courier.producer.internals.protocol.ProduceResponse.NodeEndpoint;
import dev.courier.producer.internals.protocol.ProduceResponse.PartitionResponse;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Response frames written by kafka-clients 4.2.2 must be read back field by field. */
class ResponseGoldenVectorTests {

    static final String R3 = "0000001000000001002300000001001200000004";
    static final String R4 = """
            000000210000000100000400000000000d0000030000000d0000120000000400
            0000000000""";
    static final String R9 = """
            000000740000000400020574657374030000000000000000000000000064ffff
            ffffffffffff0000000000000000010000000000010006ffffffffffffffffff
            ffffffffffffffffffffffffffffff0100010009000000020000000700000000
            000001001302000000020862726f6b657232000023840000""";
    static final String R10 = """
            000000540000000400020574657374030000000000000000000000000064ffff
            ffffffffffff0000000000000000010000000000010006ffffffffffffffffff
            ffffffffffffffffffffffffffffff010000000000000000""";

    @Test
    void fallsBackToVersionZeroWhenTheBrokerRejectsTheApiVersionsVersion() {
        ByteBuffer frame = framed(R3);
        short headerVersion = ApiKey.API_VERSIONS.responseHeaderVersion((short) 3);
        assertThat(ResponseHeader.readCorrelationId(frame, headerVersion)).isEqualTo(1);

        ApiVersionsResponse response = ApiVersionsResponse.parse(frame, (short) 3);

        assertThat(response.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        assertThat(response.apiKeys()).containsExactly(new ApiVersion((short) 18, (short) 0, (short) 4));
        assertThat(response.throttleTimeMs()).isZero();
        assertThat(frame.hasRemaining()).isFalse();
    }

    @Test
    void readsTheV0ErrorBodyWhenVersionZeroWasAskedToo() {
        ByteBuffer frame = framed(R3);
        ResponseHeader.readCorrelationId(frame, (short) 0);

        ApiVersionsResponse response = ApiVersionsResponse.parse(frame, (short) 0);

        assertThat(response.errorCode()).isEqualTo((short) 35);
        assertThat(response.find(ApiKey.API_VERSIONS)).isEqualTo(new ApiVersion((short) 18, (short) 0, (short) 4));
    }

    @Test
    void readsAnApiVersionsV3ResponseBehindAVersionZeroHeader() {
        ByteBuffer frame = framed(R4);
        assertThat(ResponseHeader.readCorrelationId(frame, ApiKey.API_VERSIONS.responseHeaderVersion((short) 3)))
                .isEqualTo(1);

        ApiVersionsResponse response = (ApiVersionsResponse) Responses.parse(ApiKey.API_VERSIONS, frame, (short) 3);

        assertThat(response.errorCode()).isZero();
        assertThat(response.apiKeys()).containsExactly(
                new ApiVersion((short) 0, (short) 0, (short) 13),
                new ApiVersion((short) 3, (short) 0, (short) 13),
                new ApiVersion((short) 18, (short) 0, (short) 4));
        assertThat(response.throttleTimeMs()).isZero();
        assertThat(response.finalizedFeaturesEpoch()).isEqualTo(-1L);
        assertThat(response.finalizedFeatures()).isEmpty();
        assertThat(response.find(ApiKey.INIT_PRODUCER_ID)).isNull();
        assertThat(frame.hasRemaining()).isFalse();
    }

    @Test
    void readsTheTaggedCurrentLeaderAndNodeEndpointsOfAProduceV10Response() {
        ByteBuffer frame = framed(R9);
        assertThat(ResponseHeader.readCorrelationId(frame, ApiKey.PRODUCE.responseHeaderVersion((short) 10)))
                .isEqualTo(4);

        ProduceResponse response = ProduceResponse.parse(frame, (short) 10);

        assertThat(response.topics()).hasSize(1);
        assertThat(response.topics().get(0).name()).isEqualTo("test");
        assertThat(response.topics().get(0).topicId()).isNull();
        assertThat(response.topics().get(0).partitions()).containsExactly(
                new PartitionResponse(0, (short) 0, 100L, -1L, 0L, java.util.List.of(), null, -1, -1),
                new PartitionResponse(1, Errors.NOT_LEADER_OR_FOLLOWER.code(), -1L, -1L, -1L, java.util.List.of(), null,
                        2, 7));
        assertThat(response.throttleTimeMs()).isZero();
        assertThat(response.nodeEndpoints()).containsExactly(new NodeEndpoint(2, "broker2", 9092, null));
        assertThat(frame.hasRemaining()).isFalse();
    }

    @Test
    void readsAProduceV9ResponseWithoutTaggedFieldsUsingDefaults() {
        ByteBuffer frame = framed(R10);
        assertThat(ResponseHeader.readCorrelationId(frame, ApiKey.PRODUCE.responseHeaderVersion((short) 9)))
                .isEqualTo(4);

        ProduceResponse response = (ProduceResponse) Responses.parse(ApiKey.PRODUCE, frame, (short) 9);

        PartitionResponse p0 = response.topics().get(0).partitions().get(0);
        PartitionResponse p1 = response.topics().get(0).partitions().get(1);
        assertThat(p0.errorCode()).isZero();
        assertThat(p0.baseOffset()).isEqualTo(100L);
        assertThat(p1.errorCode()).isEqualTo((short) 6);
        assertThat(p1.currentLeaderId()).isEqualTo(-1);
        assertThat(p1.currentLeaderEpoch()).isEqualTo(-1);
        assertThat(response.nodeEndpoints()).isEmpty();
        assertThat(frame.hasRemaining()).isFalse();
    }

    /** The frame positioned after its int32 size, as the network layer hands it over. */
    private static ByteBuffer framed(String hex) {
        ByteBuffer buf = hexBuffer(hex);
        int size = buf.getInt();
        assertThat(size).isEqualTo(buf.remaining());
        return buf;
    }
}
