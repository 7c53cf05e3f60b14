package dev.courier.producer;

import java.util.Objects;
import java.util.Optional;

/**
 * The consumer's group membership, as {@code KafkaConsumer.groupMetadata()} reports it. Passed to
 * {@link Producer#sendOffsetsToTransaction} so the group coordinator can refuse offsets from a member
 * that has been fenced (a zombie after a rebalance). With only a group id, the generation is -1 and
 * the member id empty, and the coordinator does not check membership.
 */
public record ConsumerGroupMetadata(String groupId, int generationId, String memberId,
                                    Optional<String> groupInstanceId) {

    public ConsumerGroupMetadata {
        Objects.requireNonNull(groupId, "groupId must not be null");
        Objects.requireNonNull(memberId, "memberId must not be null");
        Objects.requireNonNull(groupInstanceId, "groupInstanceId must not be null");
    }

    /** Only the group id: no membership checks. */
    public ConsumerGroupMetadata(String groupId) {
        this(groupId, -1, "", Optional.empty());
    }
}
