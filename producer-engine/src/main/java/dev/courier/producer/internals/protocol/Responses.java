package dev.courier.producer.internals.protocol;

import dev.courier.producer.errors.UnsupportedVersionException;
import java.nio.ByteBuffer;

/** One place that parses any response body by API key. */
public final class Responses {

    private Responses() {
    }

    /**
     * Parses a response body (buf positioned just after the response header) of the given key and
     * version, returning the matching {@code *Response} record.
     *
     * @throws MalformedMessageException when the bytes do not match the schema
     */
    public static Object parse(ApiKey key, ByteBuffer body, short version) {
        return switch (key) {
            case PRODUCE -> ProduceResponse.parse(body, version);
            case METADATA -> MetadataResponse.parse(body, version);
            case API_VERSIONS -> ApiVersionsResponse.parse(body, version);
            case INIT_PRODUCER_ID -> InitProducerIdResponse.parse(body, version);
            case FIND_COORDINATOR -> FindCoordinatorResponse.parse(body, version);
            case ADD_PARTITIONS_TO_TXN -> AddPartitionsToTxnResponse.parse(body, version);
            case ADD_OFFSETS_TO_TXN -> ErrorCodeResponse.parse(key, body, version);
            case END_TXN -> EndTxnResponse.parse(body, version);
            case TXN_OFFSET_COMMIT -> TxnOffsetCommitResponse.parse(body, version);
            case DESCRIBE_TRANSACTIONS -> DescribeTransactionsResponse.parse(body, version);
            case SASL_HANDSHAKE -> SaslHandshakeResponse.parse(body, version);
            case SASL_AUTHENTICATE -> SaslAuthenticateResponse.parse(body, version);
        };
    }

    static void checkSupported(ApiKey key, short version) {
        if (!key.isSupported(version)) {
            throw new UnsupportedVersionException("Cannot read " + key + " v" + version + " (this client reads v"
                    + key.oldestVersion + " to v" + key.latestVersion + ")");
        }
    }

    /** Wraps a low-level failure (buffer underflow, bad position) into a MalformedMessageException. */
    static MalformedMessageException malformed(String what, RuntimeException cause) {
        if (cause instanceof MalformedMessageException m) {
            return new MalformedMessageException("Malformed " + what + ": " + m.getMessage(), m);
        }
        return new MalformedMessageException("Malformed " + what + ": " + cause, cause);
    }
}
