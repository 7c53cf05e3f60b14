package dev.courier.producer.internals.transaction;

import dev.courier.producer.ConsumerGroupMetadata;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.protocol.AddOffsetsToTxnRequest;
import dev.courier.producer.internals.protocol.AddPartitionsToTxnRequest;
import dev.courier.producer.internals.protocol.DescribeTransactionsRequest;
import dev.courier.producer.internals.protocol.EndTxnRequest;
import dev.courier.producer.internals.protocol.FindCoordinatorRequest;
import dev.courier.producer.internals.protocol.InitProducerIdRequest;
import dev.courier.producer.internals.protocol.TxnOffsetCommitRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the {@link CoordinatorRequest}s the {@link TransactionManager} decides are due: which coordinator each
 * goes to, its body and version (v5 of EndTxn and TxnOffsetCommit under transactions v2, else v4), the
 * {@link CoordinatorAnswers} handler for its answer, and what its going out or getting no answer changes.
 *
 * <p>Built by the manager under its lock (sender thread); the {@code sent} and {@code notDelivered} hooks run
 * later on the sender thread and take the manager's lock themselves. Holds no state of its own.
 */
final class CoordinatorRequests {

    private final TransactionManager manager;
    private final String transactionalId;
    private final int transactionTimeoutMs;
    private final CoordinatorAnswers answers;

    CoordinatorRequests(TransactionManager manager, String transactionalId, int transactionTimeoutMs) {
        this.manager = manager;
        this.transactionalId = transactionalId;
        this.transactionTimeoutMs = transactionTimeoutMs;
        this.answers = new CoordinatorAnswers(manager);
    }

    /** For the first producer id ({@code -1/-1}), or to bump the epoch of the current one (KIP-360). */
    CoordinatorRequest initProducerId(long producerId, short epoch) {
        return new CoordinatorRequest(FindCoordinatorRequest.TRANSACTION, transactionalId,
                new InitProducerIdRequest(transactionalId, transactionTimeoutMs, producerId, epoch),
                answers::initProducerId, () -> { });
    }

    /** Whether the previous transaction's markers are written yet ({@link MarkerWait}); optional. */
    CoordinatorRequest describeTransactions(MarkerWait markerWait) {
        return new CoordinatorRequest(FindCoordinatorRequest.TRANSACTION, transactionalId,
                new DescribeTransactionsRequest(transactionalId), answers::describeTransactions, () -> {
                    synchronized (manager) {
                        markerWait.release(false);
                    }
                }) {
            @Override
            void sent() {
                synchronized (manager) {
                    markerWait.sent();
                }
            }

            @Override
            boolean optional() {
                return true;
            }
        };
    }

    /** AddPartitionsToTxn for the partitions queued now; they count as being added once it goes out. */
    CoordinatorRequest addPartitions(TransactionPartitions partitions, long producerId, short epoch) {
        Set<TopicPartition> adding = partitions.queuedNow();
        Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
        for (TopicPartition tp : adding) {
            byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
        }
        return new CoordinatorRequest(FindCoordinatorRequest.TRANSACTION, transactionalId,
                new AddPartitionsToTxnRequest(transactionalId, producerId, epoch, byTopic),
                response -> answers.addPartitions(adding, response), () -> {
                    synchronized (manager) {
                        partitions.notDelivered(adding);
                    }
                }) {
            @Override
            void sent() {
                synchronized (manager) {
                    partitions.sent(adding);
                }
            }
        };
    }

    /** AddOffsetsToTxn (classic protocol): the group's offsets will be part of the transaction. */
    CoordinatorRequest addOffsets(OffsetCommit commit, long producerId, short epoch) {
        return new CoordinatorRequest(FindCoordinatorRequest.TRANSACTION, transactionalId,
                new AddOffsetsToTxnRequest(transactionalId, producerId, epoch, commit.group.groupId()),
                response -> answers.addOffsets(commit, response), () -> { });
    }

    /** TxnOffsetCommit, to the group's coordinator. */
    CoordinatorRequest txnOffsetCommit(OffsetCommit commit, long producerId, short epoch, boolean v2) {
        ConsumerGroupMetadata group = commit.group;
        return new CoordinatorRequest(FindCoordinatorRequest.GROUP, group.groupId(),
                new TxnOffsetCommitRequest(transactionalId, group.groupId(), producerId, epoch, group.generationId(),
                        group.memberId(), group.groupInstanceId().orElse(null), commit.offsets,
                        v2 ? (short) 5 : (short) 4),
                response -> answers.txnOffsetCommit(commit, response), () -> { });
    }

    CoordinatorRequest endTxn(long producerId, short epoch, boolean commit, boolean v2) {
        return new CoordinatorRequest(FindCoordinatorRequest.TRANSACTION, transactionalId,
                new EndTxnRequest(transactionalId, producerId, epoch, commit, v2 ? (short) 5 : (short) 4),
                answers::endTxn, () -> { });
    }
}
