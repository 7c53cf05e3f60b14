package dev.courier.producer.internals.transaction;

import dev.courier.producer.ConsumerGroupMetadata;
import dev.courier.producer.OffsetAndMetadata;
import dev.courier.producer.errors.InvalidProducerEpochException;
import dev.courier.producer.errors.InvalidTxnStateException;
import dev.courier.producer.errors.ProducerFencedException;
import dev.courier.producer.errors.TransactionAbortableException;
import dev.courier.producer.errors.TransactionAbortedException;
import dev.courier.producer.errors.TransactionFatalException;
import dev.courier.producer.errors.TransactionTimedOutException;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.protocol.AddOffsetsToTxnRequest;
import dev.courier.producer.internals.protocol.AddPartitionsToTxnRequest;
import dev.courier.producer.internals.protocol.AddPartitionsToTxnResponse;
import dev.courier.producer.internals.protocol.EndTxnRequest;
import dev.courier.producer.internals.protocol.ErrorCodeResponse;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.protocol.FindCoordinatorRequest;
import dev.courier.producer.internals.protocol.InitProducerIdRequest;
import dev.courier.producer.internals.protocol.InitProducerIdResponse;
import dev.courier.producer.internals.protocol.TxnOffsetCommitRequest;
import dev.courier.producer.internals.protocol.TxnOffsetCommitResponse;
import dev.courier.producer.internals.transaction.CoordinatorRequest.Outcome;
import dev.courier.producer.internals.util.Time;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactional producer's state machine ({@link TransactionState}), shared by the caller's thread
 * (the public transaction methods, {@code send}'s check) and the sender thread (the drain gate, the
 * coordinator requests and their answers). Every method holds this object's lock, briefly; none calls
 * into the accumulator or the network while holding it.
 *
 * <p>The caller's blocking methods only change the state and hand back a {@link TransactionResult};
 * {@link #nextRequest} then tells the sender thread which coordinator request is due (InitProducerId,
 * AddPartitionsToTxn for partitions the drain gate met for the first time in this transaction,
 * AddOffsetsToTxn then TxnOffsetCommit, EndTxn once every record of the transaction is complete), and
 * its answer comes back to a handler here. Requests are worked out afresh from the state each time, so
 * a retry is just asking again.
 *
 * <p>This is the classic protocol (transactions v1); the producer caps Produce at v11 so that a broker
 * with {@code transaction.version=2} finalized treats it as a v1 client.
 */
public final class TransactionManager {

    private static final Logger log = LoggerFactory.getLogger(TransactionManager.class);

    /** Told about each new producer id and epoch (the identity resets its sequences). */
    public interface ProducerIdListener {
        void producerIdReceived(long producerId, short epoch);
    }

    /** Offsets to commit in the transaction: AddOffsetsToTxn first, then TxnOffsetCommit. */
    private static final class OffsetCommit {
        final ConsumerGroupMetadata group;
        final Map<String, List<TxnOffsetCommitRequest.PartitionOffset>> offsets;
        final TransactionResult result = new TransactionResult("sendOffsetsToTransaction");
        boolean added;

        OffsetCommit(ConsumerGroupMetadata group, Map<String, List<TxnOffsetCommitRequest.PartitionOffset>> offsets) {
            this.group = group;
            this.offsets = offsets;
        }
    }

    private final String transactionalId;
    private final int transactionTimeoutMs;
    private final Time time;
    private ProducerIdListener listener = (id, epoch) -> { };

    private TransactionState state = TransactionState.UNINITIALIZED;
    private RuntimeException lastError;
    private long producerId = -1;
    private short epoch = -1;
    /** InitProducerId is due: for the first id (-1/-1), or to bump the epoch of the current one (KIP-360). */
    private boolean initPending;
    private boolean bumpAfterAbort;
    private TransactionResult initResult;
    private TransactionResult endResult;

    private final Set<TopicPartition> partitions = new HashSet<>();
    private final Set<TopicPartition> newPartitions = new LinkedHashSet<>();
    private final Set<TopicPartition> addingPartitions = new LinkedHashSet<>();
    private final Deque<OffsetCommit> offsetCommits = new ArrayDeque<>();
    /** Whether the coordinator knows of the transaction (a partition or the offsets were added). */
    private boolean transactionStarted;
    private long transactionStartMs;

    public TransactionManager(String transactionalId, int transactionTimeoutMs, Time time) {
        this.transactionalId = transactionalId;
        this.transactionTimeoutMs = transactionTimeoutMs;
        this.time = time;
    }

    public String transactionalId() {
        return transactionalId;
    }

    public synchronized void setListener(ProducerIdListener listener) {
        this.listener = listener;
    }

    public synchronized TransactionState state() {
        return state;
    }

    public synchronized long producerId() {
        return producerId;
    }

    public synchronized short epoch() {
        return epoch;
    }

    // ---- the caller's side ------------------------------------------------------------------------------

    /** initTransactions(): asks for the producer id; a second call after a timeout resumes the wait. */
    public synchronized TransactionResult initTransactions() {
        if (state == TransactionState.INITIALIZING) {
            return initResult;
        }
        if (state != TransactionState.UNINITIALIZED) {
            throw misuse("initTransactions() may only be called once, before the first transaction");
        }
        state = TransactionState.INITIALIZING;
        initPending = true;
        initResult = new TransactionResult("initTransactions");
        return initResult;
    }

    public synchronized void beginTransaction() {
        if (state != TransactionState.READY) {
            throw misuse(state == TransactionState.IN_TRANSACTION ? "a transaction is already open"
                    : "beginTransaction() needs a producer that is initialised and not in a transaction");
        }
        state = TransactionState.IN_TRANSACTION;
        transactionStarted = false;
        transactionStartMs = 0;
    }

    /**
     * send()'s check: null if the record may join the transaction, or the error to fail its future with.
     *
     * @throws IllegalStateException outside a transaction
     */
    public synchronized RuntimeException checkSend() {
        return switch (state) {
            case IN_TRANSACTION -> null;
            case ABORTABLE_ERROR -> abortableErrorForCaller("cannot take more records");
            case FATAL_ERROR -> lastError;
            default -> throw misuse("send() outside a transaction: call beginTransaction() first");
        };
    }

    /** sendOffsetsToTransaction(): queues the offsets; an empty map is a no-op. */
    public synchronized TransactionResult sendOffsets(Map<dev.courier.producer.TopicPartition, OffsetAndMetadata> offsets,
                                                      ConsumerGroupMetadata group) {
        requireUsable("sendOffsetsToTransaction()");
        Map<String, List<TxnOffsetCommitRequest.PartitionOffset>> byTopic = new LinkedHashMap<>();
        offsets.forEach((tp, offset) -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                .add(new TxnOffsetCommitRequest.PartitionOffset(tp.partition(), offset.offset(), offset.metadata())));
        OffsetCommit commit = new OffsetCommit(group, byTopic);
        if (byTopic.isEmpty()) {
            commit.result.succeed();
        } else {
            offsetCommits.addLast(commit);
        }
        return commit.result;
    }

    /** commitTransaction() after its flush: EndTxn(commit) once every record is complete. */
    public synchronized TransactionResult beginCommit() {
        if (state == TransactionState.COMMITTING) {
            return endResult;
        }
        requireUsable("commitTransaction()");
        state = TransactionState.COMMITTING;
        endResult = new TransactionResult("commitTransaction");
        return endResult;
    }

    /** commitTransaction()'s check before it flushes. */
    public synchronized boolean isCommitting() {
        if (state == TransactionState.COMMITTING) {
            return true;
        }
        requireUsable("commitTransaction()");
        return false;
    }

    /** abortTransaction(): undrained records fail, in-flight ones finish, then EndTxn(abort). */
    public synchronized TransactionResult beginAbort() {
        if (state == TransactionState.ABORTING) {
            return endResult;
        }
        if (state == TransactionState.FATAL_ERROR) {
            throw lastError;
        }
        if (state != TransactionState.IN_TRANSACTION && state != TransactionState.ABORTABLE_ERROR) {
            throw misuse("abortTransaction() needs an open transaction");
        }
        state = TransactionState.ABORTING;
        endResult = new TransactionResult("abortTransaction");
        TransactionAbortedException aborted = new TransactionAbortedException("The transaction was aborted");
        for (OffsetCommit commit : offsetCommits) {
            commit.result.fail(aborted);
        }
        offsetCommits.clear();
        newPartitions.clear();
        return endResult;
    }

    private void requireUsable(String call) {
        switch (state) {
            case IN_TRANSACTION -> { }
            case ABORTABLE_ERROR -> throw abortableErrorForCaller("cannot commit; call abortTransaction()");
            case FATAL_ERROR -> throw lastError;
            default -> throw misuse(call + " needs an open transaction: call beginTransaction() first");
        }
    }

    private TransactionAbortableException abortableErrorForCaller(String what) {
        return new TransactionAbortableException("The transaction " + what + " after an earlier error: "
                + lastError.getMessage(), lastError);
    }

    private IllegalStateException misuse(String message) {
        return new IllegalStateException(message + " (transactional.id " + transactionalId + ", state " + state + ")",
                state == TransactionState.FATAL_ERROR ? lastError : null);
    }

    // ---- the sender's side ------------------------------------------------------------------------------

    /**
     * The drain gate: a partition's batches may go once it is part of the transaction. A partition met for
     * the first time is queued for AddPartitionsToTxn.
     *
     * @return true to drain, false to hold; {@code needsWakeup[0]} is set when a partition was queued
     */
    public synchronized boolean mayDrain(TopicPartition tp, boolean[] newlyQueued) {
        if (state != TransactionState.IN_TRANSACTION && state != TransactionState.COMMITTING) {
            return false;
        }
        if (partitions.contains(tp)) {
            return true;
        }
        if (!addingPartitions.contains(tp) && newPartitions.add(tp)) {
            newlyQueued[0] = true;
        }
        return false;
    }

    /**
     * The error queued records fail with now (abort in progress, or the transaction failed), or null when
     * they may stay.
     */
    public synchronized RuntimeException undrainedFailure() {
        return switch (state) {
            case ABORTING -> new TransactionAbortedException("The transaction was aborted before the record was sent");
            case ABORTABLE_ERROR -> abortableErrorForCaller("failed");
            case FATAL_ERROR -> lastError;
            default -> null;
        };
    }

    /** The epoch needs a bump (sequences in doubt): the transaction must abort, and the abort then bumps. */
    public synchronized void epochBumpRequired(String why) {
        bumpAfterAbort = true;
        if (state == TransactionState.IN_TRANSACTION || state == TransactionState.COMMITTING) {
            abortableError(new TransactionAbortableException(why));
        }
    }

    /** A record batch of the transaction failed for good: the transaction cannot commit. */
    public synchronized void batchFailed(TopicPartition tp, String reason) {
        if (state == TransactionState.IN_TRANSACTION || state == TransactionState.COMMITTING) {
            abortableError(new TransactionAbortableException("A send to " + tp + " failed: " + reason));
        }
    }

    /** A partition leader answered INVALID_PRODUCER_EPOCH or PRODUCER_FENCED. */
    public synchronized void fencedByLeader(TopicPartition tp, Errors error) {
        fatalError(fenced("producing to " + tp, error, true));
    }

    /**
     * The coordinator request due now, or null. {@code recordsOutstanding}: records of the transaction are
     * queued or in flight, so EndTxn must wait.
     */
    public synchronized CoordinatorRequest nextRequest(boolean recordsOutstanding) {
        if (initPending) {
            return new CoordinatorRequest(FindCoordinatorRequest.TRANSACTION, transactionalId,
                    new InitProducerIdRequest(transactionalId, transactionTimeoutMs, producerId, epoch),
                    this::handleInitProducerId, () -> { });
        }
        if (state == TransactionState.IN_TRANSACTION || state == TransactionState.COMMITTING) {
            if (!newPartitions.isEmpty()) {
                return addPartitionsRequest();
            }
            OffsetCommit commit = offsetCommits.peekFirst();
            if (commit != null) {
                return commit.added ? offsetCommitRequest(commit) : new CoordinatorRequest(
                        FindCoordinatorRequest.TRANSACTION, transactionalId,
                        new AddOffsetsToTxnRequest(transactionalId, producerId, epoch, commit.group.groupId()),
                        response -> handleAddOffsets(commit, response), () -> { });
            }
        }
        boolean ending = state == TransactionState.COMMITTING || state == TransactionState.ABORTING;
        if (!ending || recordsOutstanding) {
            return null;
        }
        boolean commit = state == TransactionState.COMMITTING;
        if (!transactionStarted) {
            if (state == TransactionState.ABORTING && bumpAfterAbort) {
                initPending = true;
                return nextRequest(false);
            }
            completeTransaction(); // nothing reached the coordinator: nothing to end
            return null;
        }
        return new CoordinatorRequest(FindCoordinatorRequest.TRANSACTION, transactionalId,
                new EndTxnRequest(transactionalId, producerId, epoch, commit), this::handleEndTxn, () -> { });
    }

    private CoordinatorRequest addPartitionsRequest() {
        Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
        for (TopicPartition tp : newPartitions) {
            byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
        }
        Set<TopicPartition> adding = new LinkedHashSet<>(newPartitions);
        return new CoordinatorRequest(FindCoordinatorRequest.TRANSACTION, transactionalId,
                new AddPartitionsToTxnRequest(transactionalId, producerId, epoch, byTopic),
                response -> handleAddPartitions(adding, response), () -> {
                    synchronized (this) {
                        addingPartitions.removeAll(adding);
                        newPartitions.addAll(adding);
                    }
                }) {
            @Override
            void sent() {
                synchronized (TransactionManager.this) {
                    newPartitions.removeAll(adding);
                    addingPartitions.addAll(adding);
                }
            }
        };
    }

    private CoordinatorRequest offsetCommitRequest(OffsetCommit commit) {
        ConsumerGroupMetadata group = commit.group;
        return new CoordinatorRequest(FindCoordinatorRequest.GROUP, group.groupId(),
                new TxnOffsetCommitRequest(transactionalId, group.groupId(), producerId, epoch, group.generationId(),
                        group.memberId(), group.groupInstanceId().orElse(null), commit.offsets),
                response -> handleTxnOffsetCommit(commit, response), () -> { });
    }

    /** A coordinator request could not be sent at all (no usable version): nothing retrying can fix. */
    public synchronized void requestUnsupported(RuntimeException error) {
        fatalError(new TransactionFatalException("The broker cannot take a transaction request: "
                + error.getMessage(), error));
    }

    /** FindCoordinator was refused for good (not authorized for the transactional id or the group). */
    public synchronized void coordinatorUnavailable(byte keyType, Errors error) {
        RuntimeException e = new TransactionFatalException("Cannot find the " + (keyType == FindCoordinatorRequest.GROUP
                ? "group" : "transaction") + " coordinator: " + error.exception(null).getMessage());
        if (keyType == FindCoordinatorRequest.GROUP) {
            abortableError(new TransactionAbortableException(e.getMessage(), e));
        } else {
            fatalError(e);
        }
    }

    // ---- answers ----------------------------------------------------------------------------------------

    private synchronized Outcome handleInitProducerId(Object body) {
        InitProducerIdResponse response = (InitProducerIdResponse) body;
        Errors error = Errors.forCode(response.errorCode());
        if (error == Errors.NONE) {
            producerId = response.producerId();
            epoch = response.producerEpoch();
            initPending = false;
            log.info("Transactional id {}: producer id {} epoch {}", transactionalId, producerId, epoch);
            listener.producerIdReceived(producerId, epoch);
            if (state == TransactionState.INITIALIZING) {
                state = TransactionState.READY;
                initResult.succeed();
            } else if (state == TransactionState.ABORTING) {
                bumpAfterAbort = false;
                completeTransaction();
            }
            return Outcome.DONE;
        }
        Outcome retry = retriable(error);
        if (retry != null) {
            return retry;
        }
        if (error == Errors.PRODUCER_FENCED || error == Errors.INVALID_PRODUCER_EPOCH) {
            fatalError(fenced("initialising", error, false));
        } else {
            fatalError(new TransactionFatalException("InitProducerId for transactional id " + transactionalId
                    + " failed: " + error.exception(null).getMessage()));
        }
        return Outcome.DONE;
    }

    private synchronized Outcome handleAddPartitions(Set<TopicPartition> adding, Object body) {
        AddPartitionsToTxnResponse response = (AddPartitionsToTxnResponse) body;
        addingPartitions.removeAll(adding);
        Outcome outcome = Outcome.DONE;
        for (AddPartitionsToTxnResponse.PartitionResult result : response.results()) {
            TopicPartition tp = new TopicPartition(result.topic(), result.partition());
            Errors error = Errors.forCode(result.errorCode());
            if (!adding.contains(tp)) {
                continue;
            }
            if (error == Errors.NONE) {
                partitions.add(tp);
                markStarted();
                continue;
            }
            Outcome retry = error == Errors.OPERATION_NOT_ATTEMPTED || error == Errors.UNKNOWN_TOPIC_OR_PARTITION
                    ? Outcome.RETRY : retriable(error);
            if (retry != null) {
                if (state == TransactionState.IN_TRANSACTION || state == TransactionState.COMMITTING) {
                    newPartitions.add(tp);
                }
                outcome = retry == Outcome.FIND_COORDINATOR ? retry : outcome == Outcome.DONE ? retry : outcome;
            } else {
                failTransactionRequest("adding " + tp + " to the transaction", error);
            }
        }
        return outcome;
    }

    private synchronized Outcome handleAddOffsets(OffsetCommit commit, Object body) {
        Errors error = Errors.forCode(((ErrorCodeResponse) body).errorCode());
        if (error == Errors.NONE) {
            commit.added = true;
            markStarted();
            return Outcome.DONE;
        }
        Outcome retry = retriable(error);
        if (retry != null) {
            return retry;
        }
        failTransactionRequest("adding the offsets of group " + commit.group.groupId() + " to the transaction", error);
        return Outcome.DONE;
    }

    private synchronized Outcome handleTxnOffsetCommit(OffsetCommit commit, Object body) {
        TxnOffsetCommitResponse response = (TxnOffsetCommitResponse) body;
        Outcome outcome = Outcome.DONE;
        for (TxnOffsetCommitResponse.PartitionResult result : response.results()) {
            Errors error = Errors.forCode(result.errorCode());
            if (error == Errors.NONE) {
                continue;
            }
            Outcome retry = error == Errors.UNKNOWN_TOPIC_OR_PARTITION || error == Errors.REQUEST_TIMED_OUT
                    ? Outcome.RETRY : retriable(error);
            if (retry != null) {
                outcome = retry;
                continue;
            }
            String where = "committing offsets of group " + commit.group.groupId() + " for " + result.topic() + "-"
                    + result.partition();
            if (error == Errors.UNKNOWN_MEMBER_ID || error == Errors.ILLEGAL_GENERATION
                    || error == Errors.FENCED_INSTANCE_ID || error == Errors.GROUP_AUTHORIZATION_FAILED) {
                abortableError(new TransactionAbortableException("The group refused the offsets (" + where
                        + "): " + error.exception(null).getMessage() + "; the consumer may have lost its partitions"
                        + " in a rebalance"));
            } else {
                failTransactionRequest(where, error);
            }
            return Outcome.DONE;
        }
        if (outcome == Outcome.DONE && offsetCommits.peekFirst() == commit) {
            offsetCommits.pollFirst();
            commit.result.succeed();
        }
        return outcome;
    }

    private synchronized Outcome handleEndTxn(Object body) {
        Errors error = Errors.forCode(((ErrorCodeResponse) body).errorCode());
        if (error == Errors.NONE) {
            if (state == TransactionState.ABORTING && bumpAfterAbort) {
                initPending = true; // KIP-360: the same producer id with a bumped epoch, sequences from 0
                transactionStarted = false;
                return Outcome.DONE;
            }
            completeTransaction();
            return Outcome.DONE;
        }
        Outcome retry = retriable(error);
        if (retry != null) {
            return retry;
        }
        String what = state == TransactionState.COMMITTING ? "committing" : "aborting";
        if (error == Errors.INVALID_TXN_STATE) {
            fatalError(new InvalidTxnStateException("The coordinator refused " + what + " the transaction: "
                    + error.exception(null).getMessage()));
        } else {
            failTransactionRequest(what + " the transaction", error);
        }
        return Outcome.DONE;
    }

    /** Coordinator moved or busy: find it again, or just retry after the backoff. Null for other errors. */
    private static Outcome retriable(Errors error) {
        return switch (error) {
            case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE -> Outcome.FIND_COORDINATOR;
            case COORDINATOR_LOAD_IN_PROGRESS, CONCURRENT_TRANSACTIONS -> Outcome.RETRY;
            default -> null;
        };
    }

    private void failTransactionRequest(String what, Errors error) {
        switch (error) {
            case PRODUCER_FENCED, INVALID_PRODUCER_EPOCH -> fatalError(fenced(what, error, false));
            case TRANSACTION_ABORTABLE, TOPIC_AUTHORIZATION_FAILED, GROUP_AUTHORIZATION_FAILED ->
                    abortableError(new TransactionAbortableException(what + " failed: "
                            + error.exception(null).getMessage()));
            default -> fatalError(new TransactionFatalException(what + " failed: " + error.exception(null).getMessage()));
        }
    }

    /**
     * The epoch went past ours: another instance fenced us, or the coordinator aborted a transaction that
     * outlived transaction.timeout.ms (which bumps the epoch too). Which one, the open time tells.
     */
    private RuntimeException fenced(String what, Errors error, boolean fromLeader) {
        long openMs = transactionStartMs == 0 ? 0 : time.monotonicMs() - transactionStartMs;
        if (transactionStarted && openMs >= transactionTimeoutMs) {
            return new TransactionTimedOutException("The transaction of transactional id " + transactionalId
                    + " was open for " + openMs + " ms, longer than transaction.timeout.ms (" + transactionTimeoutMs
                    + "), so the coordinator aborted it; " + what + " failed with " + error
                    + ". Close this producer and create a new one");
        }
        String message = "Producer id " + producerId + " epoch " + epoch + " of transactional id " + transactionalId
                + " has been fenced by a newer producer with the same transactional.id (" + error + " while " + what
                + "); close this producer";
        return fromLeader ? new InvalidProducerEpochException(message) : new ProducerFencedException(message);
    }

    private void markStarted() {
        if (!transactionStarted) {
            transactionStarted = true;
            transactionStartMs = time.monotonicMs();
        }
    }

    private void completeTransaction() {
        boolean committed = state == TransactionState.COMMITTING;
        partitions.clear();
        newPartitions.clear();
        addingPartitions.clear();
        offsetCommits.clear();
        transactionStarted = false;
        transactionStartMs = 0;
        lastError = null;
        state = TransactionState.READY;
        log.debug("Transactional id {}: transaction {}", transactionalId, committed ? "committed" : "aborted");
        if (endResult != null) {
            endResult.succeed();
            endResult = null;
        }
    }

    private void abortableError(RuntimeException error) {
        if (state == TransactionState.FATAL_ERROR || state == TransactionState.ABORTING
                || state == TransactionState.ABORTABLE_ERROR) {
            return; // an abort is under way or due anyway; the first error is the one to report
        }
        log.warn("Transactional id {}: the transaction must abort: {}", transactionalId, error.getMessage());
        boolean committing = state == TransactionState.COMMITTING;
        lastError = error;
        state = TransactionState.ABORTABLE_ERROR;
        for (OffsetCommit commit : offsetCommits) {
            commit.result.fail(abortableErrorForCaller("failed"));
        }
        offsetCommits.clear();
        newPartitions.clear();
        if (committing && endResult != null) {
            endResult.fail(abortableErrorForCaller("cannot commit; call abortTransaction()"));
            endResult = null;
        }
    }

    private void fatalError(RuntimeException error) {
        if (state == TransactionState.FATAL_ERROR) {
            return;
        }
        log.error("Transactional id {}: the producer cannot continue: {}", transactionalId, error.getMessage());
        lastError = error;
        state = TransactionState.FATAL_ERROR;
        initPending = false;
        for (OffsetCommit commit : offsetCommits) {
            commit.result.fail(error);
        }
        offsetCommits.clear();
        newPartitions.clear();
        for (TransactionResult result : new TransactionResult[] {initResult, endResult}) {
            if (result != null && !result.isDone()) {
                result.fail(error);
            }
        }
        endResult = null;
    }

    /** For tests and logs: what the transaction holds. */
    @Override
    public synchronized String toString() {
        return "TransactionManager(" + transactionalId + ", " + state + ", producerId " + producerId + ", epoch "
                + epoch + ", partitions " + partitions + ")";
    }
}
