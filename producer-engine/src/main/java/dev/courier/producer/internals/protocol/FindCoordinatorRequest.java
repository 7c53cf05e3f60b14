package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;

/**
 * FindCoordinatorRequest (key 10), version 3 only: one key, flexible. Later versions batch keys
 * (KIP-699), which a producer asking for one coordinator at a time does not need.
 *
 * @param keyType {@link #GROUP} or {@link #TRANSACTION}
 */
public record FindCoordinatorRequest(String key, byte keyType) implements RequestBody {

    public static final byte GROUP = 0;
    public static final byte TRANSACTION = 1;

    @Override
    public ApiKey apiKey() {
        return ApiKey.FIND_COORDINATOR;
    }

    @Override
    public ByteBuffer[] toFrame(RequestHeader header) {
        header.checkCanFrame(ApiKey.FIND_COORDINATOR, maxUsableVersion());
        return new BodyWriter().string(key).int8(keyType).emptyTaggedFields().frame(header);
    }
}
