package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;

/**
 * DescribeTransactionsRequest (key 65, KIP-664), version 0 (flexible): the state of one transactional id, as its
 * coordinator sees it. The producer asks only about its own id, which its Write permission lets it describe.
 */
public record DescribeTransactionsRequest(String transactionalId) implements RequestBody {

    @Override
    public ApiKey apiKey() {
        return ApiKey.DESCRIBE_TRANSACTIONS;
    }

    @Override
    public ByteBuffer[] toFrame(RequestHeader header) {
        header.checkCanFrame(ApiKey.DESCRIBE_TRANSACTIONS, maxUsableVersion());
        return new BodyWriter().arrayLength(1).string(transactionalId).emptyTaggedFields().frame(header);
    }
}
