package dev.courier.producer.internals.transaction;

import dev.courier.producer.errors.InvalidTxnStateException;
import dev.courier.producer.errors.TransactionAbortableException;
import dev.courier.producer.errors.TransactionFatalException;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.protocol.AddPartitionsToTxnResponse;
import dev.courier.producer.internals.protocol.DescribeTransactionsResponse;
import dev.courier.producer.internals.protocol.EndTxnResponse;
import dev.courier.producer.internals.protocol.ErrorCodeResponse;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.protocol.InitProducerIdResponse;
import dev.courier.producer.internals.protocol.TxnOffsetCommitResponse;
import dev.courier.producer.internals.transaction.CoordinatorRequest.Outcome;
import java.util.Set;

/**
 * Reads the coordinators' answers to the transaction manager's requests: what succeeded goes back to the
 * {@link TransactionManager} as a state change, a busy or moved coordinator becomes a retry, and any other
 * error makes the transaction abortable or the producer fatal ({@link TransactionErrors}). Sender thread,
 * each answer under the manager's lock.
 */
final class CoordinatorAnswers {

    private final TransactionManager manager;

    CoordinatorAnswers(TransactionManager manager) {
        this.manager = manager;
    }

    Outcome initProducerId(Object body) {
        synchronized (manager) {
            InitProducerIdResponse response = (InitProducerIdResponse) body;
            Errors error = Errors.forCode(response.errorCode());
            if (error == Errors.NONE) {
                manager.producerIdReceived(response.producerId(), response.producerEpoch());
                return Outcome.DONE;
            }
            Outcome retry = TransactionErrors.retriable(error);
            if (retry != null) {
                return retry;
            }
            if (error == Errors.PRODUCER_FENCED || error == Errors.INVALID_PRODUCER_EPOCH) {
                manager.fatal(manager.fencedError("initialising", error));
            } else {
                manager.fatal(new TransactionFatalException("InitProducerId for transactional id "
                        + manager.transactionalId() + " failed: " + error.exception(null).getMessage()));
            }
            return Outcome.DONE;
        }
    }

    Outcome addPartitions(Set<TopicPartition> adding, Object body) {
        synchronized (manager) {
            manager.partitionsAnswered(adding);
            Outcome outcome = Outcome.DONE;
            for (AddPartitionsToTxnResponse.PartitionResult result : ((AddPartitionsToTxnResponse) body).results()) {
                TopicPartition tp = new TopicPartition(result.topic(), result.partition());
                Errors error = Errors.forCode(result.errorCode());
                if (!adding.contains(tp)) {
                    continue;
                }
                if (error == Errors.NONE) {
                    manager.partitionAdded(tp);
                    continue;
                }
                Outcome retry = error == Errors.OPERATION_NOT_ATTEMPTED || error == Errors.UNKNOWN_TOPIC_OR_PARTITION
                        ? Outcome.RETRY : TransactionErrors.retriable(error);
                if (retry != null) {
                    manager.partitionToRetry(tp);
                    outcome = outcome.and(retry);
                } else {
                    manager.failed("adding " + tp + " to the transaction", error);
                }
            }
            return outcome;
        }
    }

    Outcome addOffsets(OffsetCommit commit, Object body) {
        synchronized (manager) {
            Errors error = Errors.forCode(((ErrorCodeResponse) body).errorCode());
            if (error == Errors.NONE) {
                manager.offsetsAdded(commit);
                return Outcome.DONE;
            }
            Outcome retry = TransactionErrors.retriable(error);
            if (retry != null) {
                return retry;
            }
            manager.failed("adding the offsets of group " + commit.group.groupId() + " to the transaction", error);
            return Outcome.DONE;
        }
    }

    Outcome txnOffsetCommit(OffsetCommit commit, Object body) {
        synchronized (manager) {
            Outcome outcome = Outcome.DONE;
            for (TxnOffsetCommitResponse.PartitionResult result : ((TxnOffsetCommitResponse) body).results()) {
                Errors error = Errors.forCode(result.errorCode());
                if (error == Errors.NONE) {
                    continue;
                }
                Outcome retry = error == Errors.UNKNOWN_TOPIC_OR_PARTITION || error == Errors.REQUEST_TIMED_OUT
                        ? Outcome.RETRY : TransactionErrors.retriable(error);
                if (retry != null) {
                    outcome = outcome.and(retry);
                    continue;
                }
                String where = "committing offsets of group " + commit.group.groupId() + " for " + result.topic()
                        + "-" + result.partition();
                if (error == Errors.UNKNOWN_MEMBER_ID || error == Errors.ILLEGAL_GENERATION
                        || error == Errors.FENCED_INSTANCE_ID || error == Errors.GROUP_AUTHORIZATION_FAILED) {
                    manager.abortable(new TransactionAbortableException("The group refused the offsets (" + where
                            + "): " + error.exception(null).getMessage() + "; the consumer may have lost its"
                            + " partitions in a rebalance"));
                } else {
                    manager.failed(where, error);
                }
                return Outcome.DONE;
            }
            if (outcome == Outcome.DONE) {
                manager.offsetsCommitted(commit);
            }
            return outcome;
        }
    }

    /** Never a retry and never a failure: the answer only ends or prolongs {@link MarkerWait}'s hold. */
    Outcome describeTransactions(Object body) {
        DescribeTransactionsResponse response = (DescribeTransactionsResponse) body;
        manager.coordinatorStateSeen(Errors.forCode(response.errorCode()), response.state(), response.producerId());
        return Outcome.DONE;
    }

    Outcome endTxn(Object body) {
        synchronized (manager) {
            EndTxnResponse response = (EndTxnResponse) body;
            Errors error = Errors.forCode(response.errorCode());
            if (error == Errors.NONE) {
                manager.transactionEnded(response.producerId(), response.producerEpoch());
                return Outcome.DONE;
            }
            Outcome retry = TransactionErrors.retriable(error);
            if (retry != null) {
                return retry;
            }
            String what = manager.isCommittingNow() ? "committing" : "aborting";
            if (error == Errors.INVALID_TXN_STATE) {
                // Under transactions v2 this is how a transaction the coordinator aborted on timeout shows.
                manager.fatal(manager.timedOutOr(new InvalidTxnStateException("The coordinator refused " + what
                        + " the transaction: " + error.exception(null).getMessage()), what + " the transaction",
                        error));
            } else {
                manager.failed(what + " the transaction", error);
            }
            return Outcome.DONE;
        }
    }
}
