package dev.courier.producer.internals.protocol;

import static dev.courier.producer.internals.protocol.ProtocolTestSupport.CLIENT_ID;
import static dev.courier.producer.internals.protocol.ProtocolTestSupport.concat;
import static dev.courier.producer.internals.protocol.ProtocolTestSupport.kafkaBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** SaslHandshake and SaslAuthenticate, checked against kafka-clients' generated readers and writers. */
class SaslCrossCheckTests {

    static Stream<Short> saslAuthenticateVersions() {
        return IntStream.rangeClosed(ApiKey.SASL_AUTHENTICATE.oldestVersion, ApiKey.SASL_AUTHENTICATE.latestVersion)
                .mapToObj(v -> (short) v);
    }

    private static ByteBufferAccessor kafkaView(ByteBuffer[] frame, RequestHeader header) {
        ByteBuffer buf = ByteBuffer.wrap(concat(frame));
        assertThat(buf.getInt()).isEqualTo(buf.remaining());
        RequestHeaderData headerData = new RequestHeaderData(new ByteBufferAccessor(buf), header.headerVersion());
        assertThat(headerData.requestApiKey()).isEqualTo(header.apiKey().id);
        assertThat(headerData.requestApiVersion()).isEqualTo(header.apiVersion());
        assertThat(headerData.correlationId()).isEqualTo(header.correlationId());
        assertThat(headerData.clientId()).isEqualTo(CLIENT_ID);
        return new ByteBufferAccessor(buf);
    }

    @Test
    void kafkaReadsOurSaslHandshakeRequest() {
        RequestHeader header = new RequestHeader(ApiKey.SASL_HANDSHAKE, (short) 1, 3, CLIENT_ID);
        assertThat(header.headerVersion()).isEqualTo((short) 1);

        ByteBufferAccessor accessor = kafkaView(new SaslHandshakeRequest("SCRAM-SHA-512").toFrame(header), header);
        SaslHandshakeRequestData data = new SaslHandshakeRequestData(accessor, (short) 1);

        assertThat(accessor.remaining()).isZero();
        assertThat(data.mechanism()).isEqualTo("SCRAM-SHA-512");
    }

    @Test
    void readsASaslHandshakeResponseWrittenByKafka() {
        SaslHandshakeResponseData data = new SaslHandshakeResponseData().setErrorCode((short) 33)
                .setMechanisms(List.of("PLAIN", "OAUTHBEARER"));
        ByteBuffer body = kafkaBytes(data, (short) 1);

        Object response = Responses.parse(ApiKey.SASL_HANDSHAKE, body, (short) 1);

        assertThat(body.hasRemaining()).isFalse();
        assertThat(response).isEqualTo(new SaslHandshakeResponse((short) 33, List.of("PLAIN", "OAUTHBEARER")));
    }

    @ParameterizedTest(name = "v{0}")
    @MethodSource("saslAuthenticateVersions")
    void kafkaReadsOurSaslAuthenticateRequest(short version) {
        RequestHeader header = new RequestHeader(ApiKey.SASL_AUTHENTICATE, version, 4, CLIENT_ID);
        byte[] token = "n,,n=user,r=abc".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        ByteBufferAccessor accessor = kafkaView(new SaslAuthenticateRequest(token).toFrame(header), header);
        SaslAuthenticateRequestData data = new SaslAuthenticateRequestData(accessor, version);

        assertThat(accessor.remaining()).isZero();
        assertThat(data.authBytes()).isEqualTo(token);
    }

    @ParameterizedTest(name = "v{0}")
    @MethodSource("saslAuthenticateVersions")
    void readsASaslAuthenticateResponseWrittenByKafka(short version) {
        SaslAuthenticateResponseData data = new SaslAuthenticateResponseData().setErrorCode((short) 58)
                .setErrorMessage("Authentication failed").setAuthBytes(new byte[] {1, 2, 3})
                .setSessionLifetimeMs(3_600_000L);
        if (version >= 2) {
            data.unknownTaggedFields().add(new org.apache.kafka.common.protocol.types.RawTaggedField(9, new byte[] {7}));
        }
        ByteBuffer body = kafkaBytes(data, version);

        SaslAuthenticateResponse response = (SaslAuthenticateResponse) Responses.parse(ApiKey.SASL_AUTHENTICATE, body,
                version);

        assertThat(body.hasRemaining()).isFalse();
        assertThat(response.errorCode()).isEqualTo((short) 58);
        assertThat(response.errorMessage()).isEqualTo("Authentication failed");
        assertThat(response.authBytes()).containsExactly(1, 2, 3);
        assertThat(response.sessionLifetimeMs()).isEqualTo(version >= 1 ? 3_600_000L : 0L);
    }
}
