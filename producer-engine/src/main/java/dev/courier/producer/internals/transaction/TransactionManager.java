package dev.courier.producer.internals.transaction;

import dev.courier.producer.ConsumerGroupMetadata;
import dev.courier.producer.OffsetAndMetadata;
import dev.courier.producer.errors.TransactionAbortableException;
import dev.courier.producer.errors.TransactionAbortedException;
import dev.courier.producer.errors.TransactionFatalException;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.util.Time;
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
 * a retry is just asking again. {@link CoordinatorRequests} builds them and {@link CoordinatorAnswers}
 * reads the answers; what the open transaction holds is kept in {@link TransactionPartitions} and
 * {@link TransactionOffsets}, owned by this manager and guarded by its lock.
 *
 * <p>Transactions v2 (KIP-890) when the coordinator's broker finalizes {@code transaction.version} 2 or
 * more, decided as each transaction begins: no AddPartitionsToTxn (Produce v12+ adds the partition) and
 * no AddOffsetsToTxn (TxnOffsetCommit v5 adds the offsets), and EndTxn v5 bumps the epoch at the end of
 * every transaction. Otherwise the classic protocol, with Produce capped at v11, EndTxn and
 * TxnOffsetCommit at v4.
 */
public final class TransactionManager {

    private static final Logger log = LoggerFactory.getLogger(TransactionManager.class);

    /**
     * The backoff (at most; never more than {@code retry.backoff.ms}) after CONCURRENT_TRANSACTIONS, from the
     * coordinator or, under transactions v2, from a partition leader: the previous transaction's markers are
     * still being written, which takes milliseconds. Waiting the full retry backoff (100 ms by default) would
     * cap back-to-back transactions at a few per second; the Java client waits 20 ms too.
     */
    public static final long CONCURRENT_TRANSACTIONS_BACKOFF_MS = 20;

    /** Told about each new producer id and epoch (the identity resets its sequences). */
    public interface ProducerIdListener {
        void producerIdReceived(long producerId, short epoch);
    }

    private final String transactionalId;
    private final int transactionTimeoutMs;
    private final Time time;
    private final CoordinatorRequests requests;
    /** Transactions v2: the next transaction's batches wait for the previous one's markers (see there). */
    private final MarkerWait markerWait = new MarkerWait();
    private ProducerIdListener listener = (id, epoch) -> { };

    private TransactionState state = TransactionState.UNINITIALIZED;
    private RuntimeException lastError;
    private long producerId = -1;
    private short epoch = -1;
    /** InitProducerId is due: for the first id (-1/-1), or to bump the epoch of the current one (KIP-360). */
    private boolean initPending;
    private boolean bumpAfterAbort;
    /** The coordinator's broker finalizes transaction.version 2 (as of its last ApiVersions answer). */
    private boolean brokerOffersV2;
    /** The current transaction uses transactions v2 (KIP-890): decided when it begins. */
    private boolean v2;
    private TransactionResult initResult;
    private TransactionResult endResult;

    private final TransactionPartitions partitions = new TransactionPartitions();
    private final TransactionOffsets offsetCommits = new TransactionOffsets();
    /** Whether the coordinator knows of the transaction (a partition or the offsets were added). */
    private boolean transactionStarted;
    private long transactionStartMs;

    public TransactionManager(String transactionalId, int transactionTimeoutMs, Time time) {
        this.transactionalId = transactionalId;
        this.transactionTimeoutMs = transactionTimeoutMs;
        this.time = time;
        this.requests = new CoordinatorRequests(this, transactionalId, transactionTimeoutMs);
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
        v2 = brokerOffersV2;
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
        return offsetCommits.add(offsets, group, v2);
    }

    /**
     * commitTransaction(): EndTxn(commit) goes out once every record of the transaction is complete (see
     * {@link #nextRequest}); a second call after a timeout resumes the wait.
     */
    public synchronized TransactionResult beginCommit() {
        if (state == TransactionState.COMMITTING) {
            return endResult;
        }
        requireUsable("commitTransaction()");
        state = TransactionState.COMMITTING;
        endResult = new TransactionResult("commitTransaction");
        return endResult;
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
        offsetCommits.failAll(() -> aborted);
        partitions.dropQueued();
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
        if (markerWait.active() && markerWait.holds(time.monotonicMs())) {
            return false;
        }
        if (partitions.isAdded(tp)) {
            return true;
        }
        if (v2) {
            partitions.added(tp); // transactions v2: the produce request adds the partition to the transaction
            markStarted();
            return true;
        }
        if (partitions.queue(tp)) {
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
            abortable(new TransactionAbortableException(why));
        }
    }

    /** A record batch of the transaction failed for good: the transaction cannot commit. */
    public synchronized void batchFailed(TopicPartition tp, String reason) {
        if (state == TransactionState.IN_TRANSACTION || state == TransactionState.COMMITTING) {
            abortable(new TransactionAbortableException("A send to " + tp + " failed: " + reason));
        }
    }

    /** A partition leader answered INVALID_PRODUCER_EPOCH or PRODUCER_FENCED. */
    public synchronized void fencedByLeader(TopicPartition tp, Errors error) {
        fatal(fenced("producing to " + tp, error, true));
    }

    /**
     * The coordinator request due now, or null. {@code recordsOutstanding}: records of the transaction are
     * queued or in flight, so EndTxn must wait.
     */
    public synchronized CoordinatorRequest nextRequest(boolean recordsOutstanding) {
        if (initPending) {
            return requests.initProducerId(producerId, epoch);
        }
        if (markerWait.active() && markerWait.askDue(time.monotonicMs())) {
            return requests.describeTransactions(markerWait);
        }
        if (state == TransactionState.IN_TRANSACTION || state == TransactionState.COMMITTING) {
            if (partitions.anyQueued()) {
                return requests.addPartitions(partitions, producerId, epoch);
            }
            OffsetCommit commit = offsetCommits.first();
            if (commit != null) {
                return commit.added ? requests.txnOffsetCommit(commit, producerId, epoch, v2)
                        : requests.addOffsets(commit, producerId, epoch);
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
        return requests.endTxn(producerId, epoch, commit, v2);
    }

    /** How long until {@link #nextRequest} may have something that is not due yet; MAX_VALUE for nothing. */
    public synchronized long nextRequestDelayMs(long nowMs) {
        return markerWait.delayMs(nowMs);
    }

    /** A coordinator request could not be sent at all (no usable version): nothing retrying can fix. */
    public synchronized void requestUnsupported(RuntimeException error) {
        fatal(new TransactionFatalException("The broker cannot take a transaction request: "
                + error.getMessage(), error));
    }

    /** FindCoordinator was refused for good (not authorized for the transactional id or the group). */
    public synchronized void coordinatorUnavailable(byte keyType, Errors error) {
        failWith(TransactionErrors.coordinatorNotFound(keyType, error));
    }

    // ---- what the answers change (see CoordinatorAnswers) -------------------------------------------------

    /** InitProducerId succeeded: initialised, or the abort's epoch bump is done. */
    synchronized void producerIdReceived(long newProducerId, short newEpoch) {
        producerId = newProducerId;
        epoch = newEpoch;
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
    }

    /** The answer to AddPartitionsToTxn for {@code adding} arrived; each partition follows as added or retried. */
    synchronized void partitionsAnswered(Set<TopicPartition> adding) {
        partitions.answered(adding);
    }

    synchronized void partitionAdded(TopicPartition tp) {
        partitions.added(tp);
        markStarted();
    }

    synchronized void partitionToRetry(TopicPartition tp) {
        if (state == TransactionState.IN_TRANSACTION || state == TransactionState.COMMITTING) {
            partitions.retry(tp);
        }
    }

    synchronized void offsetsAdded(OffsetCommit commit) {
        commit.added = true;
        markStarted();
    }

    synchronized void offsetsCommitted(OffsetCommit commit) {
        markStarted(); // under transactions v2 this is when the coordinator learns of the transaction
        offsetCommits.committed(commit);
    }

    /**
     * EndTxn succeeded: the transaction is over, unless an abort still has to bump the epoch (KIP-360).
     * Under transactions v2 the coordinator bumped it already and says to what ({@code newEpoch}; -1 under v1).
     */
    synchronized void transactionEnded(long newProducerId, short newEpoch) {
        if (v2 && newProducerId >= 0 && newEpoch >= 0) {
            producerId = newProducerId;
            epoch = newEpoch;
            bumpAfterAbort = false;
            log.debug("Transactional id {}: producer id {} epoch {} for the next transaction", transactionalId,
                    producerId, epoch);
            listener.producerIdReceived(producerId, epoch);
            markerWait.start(time.monotonicMs());
        }
        if (state == TransactionState.ABORTING && bumpAfterAbort) {
            initPending = true; // the same producer id with a bumped epoch; sequences restart at 0
            transactionStarted = false;
            return;
        }
        completeTransaction();
    }

    /** DescribeTransactions answered: the coordinator's state for this transactional id, or why it cannot say. */
    synchronized void coordinatorStateSeen(Errors error, String coordinatorState, long coordinatorProducerId) {
        if (error == Errors.NONE && coordinatorProducerId == producerId) {
            markerWait.answered(coordinatorState, time.monotonicMs());
        } else {
            log.debug("Transactional id {}: not waiting for the previous transaction's markers ({}, producer id {})",
                    transactionalId, error, coordinatorProducerId);
            markerWait.release(error == Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
        }
    }

    /** DescribeTransactions sent so far, to wait for the previous transaction's markers (tests). */
    public synchronized int markerChecks() {
        return markerWait.asks();
    }

    /** The transaction coordinator's broker finalizes {@code transaction.version} at this level (-1: unknown). */
    synchronized void transactionVersionSeen(short level) {
        brokerOffersV2 = level >= 2;
    }

    /** Whether the current transaction uses transactions v2 (KIP-890 part 2). */
    public synchronized boolean transactionsV2() {
        return v2;
    }

    synchronized boolean isCommittingNow() {
        return state == TransactionState.COMMITTING;
    }

    /** A {@code TransactionTimedOutException} if the transaction outlived its timeout, else {@code otherwise}. */
    synchronized RuntimeException timedOutOr(RuntimeException otherwise, String what, Errors error) {
        long openMs = transactionStartMs == 0 ? 0 : time.monotonicMs() - transactionStartMs;
        return transactionStarted && openMs >= transactionTimeoutMs ? fenced(what, error, false) : otherwise;
    }

    synchronized RuntimeException fencedError(String what, Errors error) {
        return fenced(what, error, false);
    }

    /** A coordinator request failed with an error retrying cannot cure. */
    synchronized void failed(String what, Errors error) {
        failWith(TransactionErrors.failure(what, error, () -> fenced(what, error, false)));
    }

    /** Abortable or fatal, as {@link TransactionErrors} classified the failure. */
    private void failWith(RuntimeException failure) {
        if (failure instanceof TransactionAbortableException) {
            abortable(failure);
        } else {
            fatal(failure);
        }
    }

    private RuntimeException fenced(String what, Errors error, boolean fromLeader) {
        long openMs = transactionStartMs == 0 ? 0 : time.monotonicMs() - transactionStartMs;
        return TransactionErrors.fenced(transactionalId, producerId, epoch, what, error, fromLeader,
                transactionStarted ? openMs : -1, transactionTimeoutMs);
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

    /** The transaction must abort (ABORTABLE_ERROR): waiting offsets and a commit under way fail. */
    synchronized void abortable(RuntimeException error) {
        if (state == TransactionState.FATAL_ERROR || state == TransactionState.ABORTING
                || state == TransactionState.ABORTABLE_ERROR) {
            return; // an abort is under way or due anyway; the first error is the one to report
        }
        log.warn("Transactional id {}: the transaction must abort: {}", transactionalId, error.getMessage());
        boolean committing = state == TransactionState.COMMITTING;
        lastError = error;
        state = TransactionState.ABORTABLE_ERROR;
        offsetCommits.failAll(() -> abortableErrorForCaller("failed"));
        partitions.dropQueued();
        if (committing && endResult != null) {
            endResult.fail(abortableErrorForCaller("cannot commit; call abortTransaction()"));
            endResult = null;
        }
    }

    /** The producer cannot continue (FATAL_ERROR): everything waiting fails with {@code error}. */
    synchronized void fatal(RuntimeException error) {
        if (state == TransactionState.FATAL_ERROR) {
            return;
        }
        log.error("Transactional id {}: the producer cannot continue: {}", transactionalId, error.getMessage());
        lastError = error;
        state = TransactionState.FATAL_ERROR;
        initPending = false;
        offsetCommits.failAll(() -> error);
        partitions.dropQueued();
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
