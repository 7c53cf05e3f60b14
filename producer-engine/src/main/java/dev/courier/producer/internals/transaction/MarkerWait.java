package dev.courier.producer.internals.transaction;

/**
 * Under transactions v2, holds the next transaction's batches until the coordinator has finished the previous
 * transaction.
 *
 * <p>Why: EndTxn is answered once the coordinator has logged PrepareCommit (or PrepareAbort); it then writes the
 * markers to the partitions and logs CompleteCommit. A produce request of the next transaction that reaches a
 * partition leader in between makes the leader's implicit AddPartitionsToTxn meet CONCURRENT_TRANSACTIONS, and
 * the leader retries it on its own after {@code add.partitions.to.txn.retry.backoff.ms} (20 ms by default) before
 * it answers. A producer that refills its next transaction quickly met that wait in about a quarter of its
 * transactions of 1,000 small records, which then took 10 to 15 times their median. Asking the coordinator
 * instead (DescribeTransactions, whose round trip mostly overlaps the caller filling the next transaction) costs
 * a fraction of a millisecond.
 *
 * <p>An optimisation only: an error, a broker without the API, an answer for another producer or {@link #LIMIT_MS}
 * without the state wanted, and the batches go as they would have. Guarded by the {@link TransactionManager}'s
 * lock; the asking is done by the {@link CoordinatorChannel}.
 */
final class MarkerWait {

    /** The longest hold: past it the partition leaders' own retries take over. */
    static final long LIMIT_MS = 1_000;
    /** Asks again after 1, 2, 4, then every 4 ms while the coordinator is still writing markers. */
    private static final long MAX_ASK_INTERVAL_MS = 4;

    private boolean waiting;
    /** The coordinator cannot tell (no such API, not authorized): never ask again. */
    private boolean disabled;
    private boolean asking;
    private long untilMs;
    private long nextAskMs;
    private long askIntervalMs;
    private int asks;

    /** EndTxn succeeded under transactions v2: hold the next transaction's batches until the markers are written. */
    void start(long nowMs) {
        if (disabled) {
            return;
        }
        waiting = true;
        asking = false;
        untilMs = nowMs + LIMIT_MS;
        nextAskMs = nowMs;
        askIntervalMs = 1;
    }

    /** Whether a hold may be on (no clock needed to say no). */
    boolean active() {
        return waiting;
    }

    /** Whether batches must wait now. */
    boolean holds(long nowMs) {
        if (waiting && nowMs >= untilMs) {
            waiting = false;
        }
        return waiting;
    }

    /** Whether DescribeTransactions should go out now. */
    boolean askDue(long nowMs) {
        return holds(nowMs) && !asking && nowMs >= nextAskMs;
    }

    /** How long until there is something to do (the next ask, or the end of the hold); MAX_VALUE for nothing. */
    long delayMs(long nowMs) {
        if (!waiting || asking) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, Math.min(nextAskMs, untilMs) - nowMs);
    }

    void sent() {
        asking = true;
        asks++;
    }

    /** The coordinator's state for the transactional id: a Prepare... state means its markers are still going out. */
    void answered(String state, long nowMs) {
        asking = false;
        if (state != null && state.startsWith("Prepare")) {
            nextAskMs = nowMs + askIntervalMs;
            askIntervalMs = Math.min(askIntervalMs * 2, MAX_ASK_INTERVAL_MS);
        } else {
            waiting = false;
        }
    }

    /** No useful answer: let the batches go; {@code forGood} when asking again could not help. */
    void release(boolean forGood) {
        asking = false;
        waiting = false;
        disabled |= forGood;
    }

    /** DescribeTransactions sent so far (for tests and logs). */
    int asks() {
        return asks;
    }
}
