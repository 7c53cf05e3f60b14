package dev.courier.producer.internals.protocol;

import static dev.courier.producer.internals.protocol.ProtocolTestSupport.CLIENT_ID;
import static dev.courier.producer.internals.protocol.ProtocolTestSupport.concat;
import static dev.courier.producer.internals.protocol.ProtocolTestSupport.hex;
import static dev.courier.producer.internals.protocol.ProtocolTestSupport.hexBuffer;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Request frames must match the bytes kafka-clients 4.2.2 writes for the same content. */
class RequestGoldenVectorTests {

    /** B2: uncompressed idempotent batch (producerId 1000, epoch 0, baseSequence 0). */
    static final String B2 = """
            000000000000000000000058ffffffff0279d0dac90000000000010000018bcf
            e568000000018bcfe5680500000000000003e800000000000000000002300000
            000a6b65792d300e76616c75652d30020468310476311a000a02010e76616c75
            652d3100""";

    static final String R1 = """
            000000270012000300000001000b746573742d636c69656e74000a6d792d636c
            69656e7406312e302e3000""";
    static final String R2 = "000000150012000000000001000b746573742d636c69656e74";
    static final String R5 = """
            000000300003000c00000002000b746573742d636c69656e7400020000000000
            0000000000000000000000057465737400010000""";
    static final String R6B = "0000001a0003000c00000002000b746573742d636c69656e740000000000";
    static final String R7 = """
            000000260016000400000003000b746573742d636c69656e7400007fffffffff
            ffffffffffffffffff00""";
    static final String R8_V9 = """
            000000900000000900000004000b746573742d636c69656e740000ffff000075
            30020574657374020000000065000000000000000000000058ffffffff0279d0
            dac90000000000010000018bcfe568000000018bcfe5680500000000000003e8
            00000000000000000002300000000a6b65792d300e76616c75652d3002046831
            0476311a000a02010e76616c75652d3100000000""";

    @Test
    void writesApiVersionsV3ExactlyAsKafkaDoes() {
        ByteBuffer[] frame = new ApiVersionsRequest("my-client", "1.0.0")
                .toFrame(new RequestHeader(ApiKey.API_VERSIONS, (short) 3, 1, CLIENT_ID));
        assertThat(concat(frame)).isEqualTo(hex(R1));
    }

    @Test
    void writesApiVersionsV0AsAHeaderWithAnEmptyBody() {
        ByteBuffer[] frame = new ApiVersionsRequest("my-client", "1.0.0")
                .toFrame(new RequestHeader(ApiKey.API_VERSIONS, (short) 0, 1, CLIENT_ID));
        assertThat(concat(frame)).isEqualTo(hex(R2));
    }

    @Test
    void writesMetadataV12ForOneTopicExactlyAsKafkaDoes() {
        ByteBuffer[] frame = new MetadataRequest(List.of("test"), true)
                .toFrame(new RequestHeader(ApiKey.METADATA, (short) 12, 2, CLIENT_ID));
        assertThat(concat(frame)).isEqualTo(hex(R5));
    }

    @Test
    void writesMetadataV12ForAllTopicsAsANullTopicArray() {
        ByteBuffer[] frame = new MetadataRequest(null, false)
                .toFrame(new RequestHeader(ApiKey.METADATA, (short) 12, 2, CLIENT_ID));
        assertThat(concat(frame)).isEqualTo(hex(R6B));
    }

    @Test
    void writesIdempotentInitProducerIdV4ExactlyAsKafkaDoes() {
        ByteBuffer[] frame = new InitProducerIdRequest(null, Integer.MAX_VALUE, -1L, (short) -1)
                .toFrame(new RequestHeader(ApiKey.INIT_PRODUCER_ID, (short) 4, 3, CLIENT_ID));
        assertThat(concat(frame)).isEqualTo(hex(R7));
    }

    @Test
    void writesProduceV9ExactlyAsKafkaDoes() {
        ByteBuffer[] frame = produceOfB2(hexBuffer(B2))
                .toFrame(new RequestHeader(ApiKey.PRODUCE, (short) 9, 4, CLIENT_ID));
        assertThat(concat(frame)).isEqualTo(hex(R8_V9));
    }

    @Test
    void writesIdenticalProduceBodiesForVersionsNineToTwelve() {
        ProduceRequest request = produceOfB2(hexBuffer(B2));
        byte[] v9 = concat(request.toFrame(new RequestHeader(ApiKey.PRODUCE, (short) 9, 4, CLIENT_ID)));
        for (short version = 10; version <= 12; version++) {
            byte[] bytes = concat(request.toFrame(new RequestHeader(ApiKey.PRODUCE, version, 4, CLIENT_ID)));
            bytes[7] = 9; // the api version in the header is the only difference
            assertThat(bytes).as("v%d", version).isEqualTo(v9);
        }
    }

    @Test
    void passesTheRecordBatchThroughWithoutCopyingOrMovingIt() {
        byte[] batchBytes = hex(B2);
        ByteBuffer batch = ByteBuffer.wrap(batchBytes);
        ProduceRequest request = produceOfB2(batch);

        ByteBuffer[] frame = request.toFrame(new RequestHeader(ApiKey.PRODUCE, (short) 9, 4, CLIENT_ID));

        assertThat(frame).hasSize(3);
        assertThat(frame[1].array()).isSameAs(batchBytes);
        assertThat(frame[1].remaining()).isEqualTo(batchBytes.length);
        assertThat(frame[0].array()).isSameAs(frame[2].array());
        assertThat(batch.position()).isZero();
        assertThat(batch.limit()).isEqualTo(batchBytes.length);
    }

    @Test
    void framesTheSameBytesAgainAfterTheFirstFrameWasWrittenOut() {
        ProduceRequest request = produceOfB2(hexBuffer(B2));
        RequestHeader header = new RequestHeader(ApiKey.PRODUCE, (short) 9, 4, CLIENT_ID);
        ByteBuffer[] first = request.toFrame(header);
        ByteBuffer sink = ByteBuffer.allocate(1024);
        for (ByteBuffer b : first) {
            sink.put(b); // drains the frame like a gathering write would
        }

        assertThat(concat(request.toFrame(header))).isEqualTo(hex(R8_V9));
    }

    @Test
    void framesABatchThatStartsInsideALargerBuffer() {
        byte[] batchBytes = hex(B2);
        ByteBuffer big = ByteBuffer.allocate(batchBytes.length + 20);
        big.position(10);
        big.put(batchBytes);
        big.position(10).limit(10 + batchBytes.length);

        byte[] bytes = concat(produceOfB2(big).toFrame(new RequestHeader(ApiKey.PRODUCE, (short) 9, 4, CLIENT_ID)));

        assertThat(bytes).isEqualTo(hex(R8_V9));
        assertThat(big.position()).isEqualTo(10);
    }

    private static ProduceRequest produceOfB2(ByteBuffer batch) {
        return new ProduceRequest(null, (short) -1, 30000, List.of(
                new ProduceRequest.TopicData("test", null, List.of(new ProduceRequest.PartitionData(0, batch)))));
    }
}
