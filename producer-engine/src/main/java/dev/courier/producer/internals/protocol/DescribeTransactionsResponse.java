package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;

/**
 * DescribeTransactionsResponse (key 65), version 0: of the answer's transaction states, the first (the producer
 * asks about one id); its partitions are skipped. An answer with no state at all reads as UNKNOWN_SERVER_ERROR.
 *
 * @param state the coordinator's name for the state ("Ongoing", "PrepareCommit", "CompleteCommit", ...), or null
 */
public record DescribeTransactionsResponse(int throttleTimeMs, short errorCode, String state, long producerId,
                                           short producerEpoch) {

    public static DescribeTransactionsResponse parse(ByteBuffer body, short version) {
        Responses.checkSupported(ApiKey.DESCRIBE_TRANSACTIONS, version);
        try {
            WireReader r = new WireReader(body, true);
            int throttle = r.readInt32();
            int count = r.readNonNullArrayLength(28, "TransactionStates");
            DescribeTransactionsResponse first = null;
            for (int i = 0; i < count; i++) {
                short error = r.readInt16();
                r.readString("TransactionalId");
                String state = r.readString("TransactionState");
                r.readInt32(); // TransactionTimeoutMs
                r.readInt64(); // TransactionStartTimeMs
                long producerId = r.readInt64();
                short epoch = r.readInt16();
                int topics = r.readNonNullArrayLength(3, "Topics");
                for (int t = 0; t < topics; t++) {
                    r.readString("Topic");
                    r.readInt32Array("Partitions");
                    r.skipTaggedFields();
                }
                r.skipTaggedFields();
                if (first == null) {
                    first = new DescribeTransactionsResponse(throttle, error, state, producerId, epoch);
                }
            }
            r.skipTaggedFields();
            return first != null ? first
                    : new DescribeTransactionsResponse(throttle, Errors.UNKNOWN_SERVER_ERROR.code(), null, -1, (short) -1);
        } catch (RuntimeException e) {
            throw Responses.malformed("DescribeTransactionsResponse v" + version, e);
        }
    }
}
