package dev.courier.producer.internals.transaction;

import dev.courier.producer.ConsumerGroupMetadata;
import dev.courier.producer.internals.protocol.TxnOffsetCommitRequest;
import java.util.List;
import java.util.Map;

/** Offsets to commit in the transaction: AddOffsetsToTxn first, then TxnOffsetCommit. Guarded by the manager. */
final class OffsetCommit {

    final ConsumerGroupMetadata group;
    final Map<String, List<TxnOffsetCommitRequest.PartitionOffset>> offsets;
    final TransactionResult result = new TransactionResult("sendOffsetsToTransaction");
    boolean added;

    OffsetCommit(ConsumerGroupMetadata group, Map<String, List<TxnOffsetCommitRequest.PartitionOffset>> offsets) {
        this.group = group;
        this.offsets = offsets;
    }
}
