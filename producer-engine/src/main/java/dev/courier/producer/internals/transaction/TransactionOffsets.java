package dev.courier.producer.internals.transaction;

import dev.courier.producer.ConsumerGroupMetadata;
import dev.courier.producer.OffsetAndMetadata;
import dev.courier.producer.internals.protocol.TxnOffsetCommitRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The consumer offsets sent to the current transaction (sendOffsetsToTransaction), first come first committed:
 * each waits for AddOffsetsToTxn (classic protocol only), then TxnOffsetCommit, and its caller's
 * {@link TransactionResult} completes when the group coordinator has taken them.
 *
 * <p>Owned by the {@link TransactionManager} and guarded by its lock: the caller's thread adds offsets, the
 * sender thread sends and completes them.
 */
final class TransactionOffsets {

    private final Deque<OffsetCommit> commits = new ArrayDeque<>();

    /**
     * Queues the offsets; an empty map is a no-op, answered at once.
     *
     * @param v2 the transaction uses transactions v2, where TxnOffsetCommit adds the offsets to it itself
     */
    TransactionResult add(Map<dev.courier.producer.TopicPartition, OffsetAndMetadata> offsets,
                          ConsumerGroupMetadata group, boolean v2) {
        Map<String, List<TxnOffsetCommitRequest.PartitionOffset>> byTopic = new LinkedHashMap<>();
        offsets.forEach((tp, offset) -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                .add(new TxnOffsetCommitRequest.PartitionOffset(tp.partition(), offset.offset(), offset.metadata())));
        OffsetCommit commit = new OffsetCommit(group, byTopic);
        commit.added = v2; // transactions v2: TxnOffsetCommit adds the offsets to the transaction itself
        if (byTopic.isEmpty()) {
            commit.result.succeed();
        } else {
            commits.addLast(commit);
        }
        return commit.result;
    }

    /** The offsets to send next, or null. */
    OffsetCommit first() {
        return commits.peekFirst();
    }

    /** TxnOffsetCommit for {@code commit} succeeded: its caller is told. */
    void committed(OffsetCommit commit) {
        if (commits.peekFirst() == commit) {
            commits.pollFirst();
            commit.result.succeed();
        }
    }

    /** The transaction aborts or failed: each waiting caller fails with an exception {@code error} gives it. */
    void failAll(Supplier<RuntimeException> error) {
        for (OffsetCommit commit : commits) {
            commit.result.fail(error.get());
        }
        commits.clear();
    }

    /** The transaction ended. */
    void clear() {
        commits.clear();
    }
}
