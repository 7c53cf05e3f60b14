package dev.courier.producer.internals.admission;

import dev.courier.producer.errors.BufferExhaustedException;
import dev.courier.producer.errors.ProducerClosedException;
import dev.courier.producer.internals.util.Time;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code max.buffered.records}: the most records accepted and not yet completed. A record takes a slot when
 * {@code send} accepts it and gives it back when its outcome is decided (by the outcome path, just before
 * its callback is queued). Only built when the setting is on: with it off there is no instance and the send
 * path pays one null check.
 *
 * <p>Waiting works like {@code buffer.memory}'s: blocked callers are served in arrival order, and a caller
 * that may not wait ({@code trySend}) gets a slot only when one is free and nobody is queued.
 *
 * <p>Thread-safe: callers acquire, the sender thread releases.
 */
public final class RecordLimit {

    private final int max;
    private final Time time;
    private final ReentrantLock lock = new ReentrantLock();
    // lock guards the following
    private int used;
    /** One condition per blocked caller, oldest first; only the head takes a slot. */
    private final Deque<Condition> waiters = new ArrayDeque<>();
    private boolean closed;
    // end of lock-guarded state

    /** Runs after slots are given back; set once before the producer's threads start. */
    private Runnable releaseListener = () -> { };

    public RecordLimit(int max, Time time) {
        if (max <= 0) {
            throw new IllegalArgumentException("max must be > 0: " + max);
        }
        this.max = max;
        this.time = time;
    }

    /** Tells {@code listener} after every release, outside the lock (see {@code BufferPool.onMemoryReturned}). */
    public void onReleased(Runnable listener) {
        this.releaseListener = listener;
    }

    /**
     * Takes one slot, waiting up to {@code maxBlockMs} behind earlier waiters; 0 fails at once.
     *
     * @throws BufferExhaustedException when no slot came free in time
     * @throws ProducerClosedException  when the producer is or gets closed forcibly
     */
    public void acquire(long maxBlockMs) throws InterruptedException {
        lock.lock();
        try {
            if (closed) {
                throw new ProducerClosedException("Producer closed while waiting for max.buffered.records");
            }
            if (waiters.isEmpty() && used < max) {
                used++;
                return;
            }
            if (maxBlockMs <= 0) {
                throw exhausted(0, waiters.size());
            }
            awaitSlot(maxBlockMs);
        } finally {
            signalHead();
            lock.unlock();
        }
    }

    private void awaitSlot(long maxBlockMs) throws InterruptedException {
        Condition me = lock.newCondition();
        waiters.addLast(me);
        long start = time.nanoseconds();
        long maxWaitNs = TimeUnit.MILLISECONDS.toNanos(maxBlockMs);
        try {
            while (true) {
                if (closed) {
                    throw new ProducerClosedException("Producer closed while waiting for max.buffered.records");
                }
                if (waiters.peekFirst() == me && used < max) {
                    used++;
                    return;
                }
                long remainingNs = maxWaitNs - (time.nanoseconds() - start);
                if (remainingNs <= 0) {
                    throw exhausted(maxBlockMs, waiters.size() - 1);
                }
                me.awaitNanos(remainingNs);
            }
        } finally {
            waiters.remove(me);
        }
    }

    /** Gives back {@code records} slots (their outcome is decided). */
    public void release(int records) {
        lock.lock();
        try {
            used -= records;
            if (used < 0) {
                used = 0;
                throw new IllegalStateException("more records released than acquired; was a record released twice?");
            }
            signalHead();
        } finally {
            lock.unlock();
        }
        releaseListener.run();
    }

    /** Slots a caller that may not wait could take now: free slots, or 0 while callers are queued. */
    public int availableWithoutWaiting() {
        lock.lock();
        try {
            return waiters.isEmpty() ? max - used : 0;
        } finally {
            lock.unlock();
        }
    }

    public int max() {
        return max;
    }

    /** Fails every waiting and later acquire (forced close); releases still balance the count. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            for (Condition waiter : waiters) {
                waiter.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    private void signalHead() {
        Condition head = waiters.peekFirst();
        if (head != null && (closed || used < max)) {
            head.signal();
        }
    }

    private BufferExhaustedException exhausted(long maxBlockMs, int othersWaiting) {
        String within = maxBlockMs == 0 ? " without waiting" : " within " + maxBlockMs + " ms";
        return new BufferExhaustedException("No room for another record" + within + ": max.buffered.records ("
                + max + ") records are accepted and not yet completed"
                + (othersWaiting <= 0 ? "" : ", " + othersWaiting + " caller(s) waiting first"), -1);
    }
}
