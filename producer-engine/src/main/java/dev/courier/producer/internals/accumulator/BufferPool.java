package dev.courier.producer.internals.accumulator;

import dev.courier.producer.errors.BufferExhaustedException;
import dev.courier.producer.errors.ProducerClosedException;
import dev.courier.producer.errors.RecordTooLargeException;
import dev.courier.producer.internals.util.Time;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The memory behind unsent batches, bounded by {@code buffer.memory}.
 *
 * <p>Buffers of {@code poolableSize} (batch.size) bytes, or of a small multiple of it (up to
 * {@link #MAX_POOLED_MULTIPLE}; compressed batches use them, and their size follows a slowly moving
 * compression estimate, so the same few sizes recur), are kept on one free list per size when returned
 * and handed out again without allocating or zero-filling. Other sizes are plain heap buffers whose
 * bytes are merely counted. Memory the pool has never handed out, or that came back in an odd size,
 * is "non-pooled"; when a request needs more of it than is there, pooled buffers are dropped from the
 * free list (left to the garbage collector) and their bytes become non-pooled.
 *
 * <p>When memory is short the caller blocks up to its limit. Waiters are served strictly in arrival
 * order: only the oldest waiter takes memory, collecting it piece by piece as it is returned, and a
 * new caller queues behind existing waiters even if enough memory happens to be free at that moment.
 * A large request therefore cannot starve behind a stream of small ones.
 *
 * <p>A caller that may not wait ({@code maxTimeToBlockMs} 0, as {@code trySend}) gets memory only when it
 * is free now <em>and</em> nobody is queued: it never takes memory ahead of a blocked caller, and it never
 * queues (so it never takes a partial share from the head waiter either).
 *
 * <p>Whoever wants to know when memory comes back without blocking (the capacity signal) registers a
 * {@link #onMemoryReturned listener}; it runs after every return, outside the lock, on the returning thread.
 *
 * <p>Thread-safe: caller threads allocate, the sender thread deallocates. Everything mutable is guarded
 * by {@link #lock}; heap arrays are allocated after the lock is released.
 */
public final class BufferPool {

    /** Largest multiple of poolableSize that is recycled. */
    static final int MAX_POOLED_MULTIPLE = 64;

    private final long totalMemory;
    private final int poolableSize;
    private final Time time;
    /** Whether new buffers of exactly poolableSize are direct (see the constructor). */
    private final boolean directBatchBuffers;

    /** Not a fair lock: the waiter deque, not lock fairness, decides who gets memory. */
    private final ReentrantLock lock = new ReentrantLock();
    // lock guards the following
    /** Cleared buffers of k * poolableSize (1 <= k <= MAX_POOLED_MULTIPLE) at index k, ready to hand out. */
    private final ArrayDeque<ByteBuffer>[] freeLists;
    /** Bytes held by {@link #freeLists}. */
    private long freeBytes;
    /** One condition per blocked caller, oldest first; only the head takes memory. */
    private final Deque<Condition> waiters = new ArrayDeque<>();
    /** Bytes not handed out and not on the free list. */
    private long nonPooledAvailableMemory;
    private boolean closed;
    // end of lock-guarded state

    /** Runs after memory is given back; set once before the producer's threads start. */
    private Runnable returnListener = () -> { };

    /**
     * @param totalMemory  buffer.memory: the most the pool hands out at once
     * @param poolableSize batch.size: buffers of this size are recycled
     * @param time         clock for the blocking deadline
     */
    public BufferPool(long totalMemory, int poolableSize, Time time) {
        this(totalMemory, poolableSize, time, false);
    }

    /**
     * @param directBatchBuffers make new buffers of exactly {@code poolableSize} direct. Why: a heap buffer
     *                           handed to a socket write is first copied by the JDK into a temporary direct
     *                           buffer, one more pass over every byte sent. Only for uncompressed batches,
     *                           whose buffer is what goes on the wire (a compressed batch's records are read by
     *                           a codec that wants arrays), and only for the recycled size: other sizes are
     *                           rare, and allocating direct memory is slow and freed only by the collector.
     */
    public BufferPool(long totalMemory, int poolableSize, Time time, boolean directBatchBuffers) {
        if (totalMemory < 0) {
            throw new IllegalArgumentException("totalMemory must be >= 0: " + totalMemory);
        }
        if (poolableSize < 0) {
            throw new IllegalArgumentException("poolableSize must be >= 0: " + poolableSize);
        }
        this.totalMemory = totalMemory;
        this.poolableSize = poolableSize;
        this.time = time;
        this.directBatchBuffers = directBatchBuffers;
        this.nonPooledAvailableMemory = totalMemory;
        @SuppressWarnings("unchecked")
        ArrayDeque<ByteBuffer>[] lists = new ArrayDeque[MAX_POOLED_MULTIPLE + 1];
        for (int k = 1; k <= MAX_POOLED_MULTIPLE; k++) {
            lists[k] = new ArrayDeque<>();
        }
        this.freeLists = lists;
    }

    /**
     * Tells {@code listener} after every return of memory (deallocate, release, or a reservation turned into a
     * buffer), outside the lock, on the returning thread (usually the sender's): it must be quick and must not
     * block. Call before the producer's threads start.
     */
    public void onMemoryReturned(Runnable listener) {
        this.returnListener = listener;
    }

    /** Whether buffers of {@code size} are recycled: batch.size or a multiple of it up to the limit. */
    public boolean isPoolable(int size) {
        return size > 0 && poolableSize > 0 && size % poolableSize == 0 && size / poolableSize <= MAX_POOLED_MULTIPLE;
    }

    /** Called with the lock held: a recycled buffer of exactly {@code size}, or null. */
    private ByteBuffer pollFree(int size) {
        if (!isPoolable(size)) {
            return null;
        }
        ByteBuffer buffer = freeLists[size / poolableSize].pollFirst();
        if (buffer != null) {
            freeBytes -= size;
        }
        return buffer;
    }

    /**
     * A buffer of exactly {@code size} bytes (capacity), position 0. Buffers of poolableSize come
     * from the free list when one is there; their contents are left over from earlier use.
     *
     * @param maxTimeToBlockMs how long to wait for memory; 0 fails at once when it is short
     * @throws RecordTooLargeException  when size exceeds buffer.memory (it could never fit)
     * @throws BufferExhaustedException when the memory did not come free in time
     * @throws ProducerClosedException  when the pool is or gets closed
     * @throws InterruptedException     when interrupted while waiting; nothing is charged then
     */
    public ByteBuffer allocate(int size, long maxTimeToBlockMs) throws InterruptedException {
        checkSize(size);
        ByteBuffer pooled = acquire(size, maxTimeToBlockMs, true);
        if (pooled != null) {
            return pooled;
        }
        try {
            return newBuffer(size);
        } catch (OutOfMemoryError e) {
            release(size);
            throw e;
        }
    }

    /**
     * Gives back a buffer from {@link #allocate}; charges back its capacity. The caller must not touch
     * the buffer afterwards.
     */
    public void deallocate(ByteBuffer buffer) {
        deallocate(buffer, buffer.capacity());
    }

    /**
     * Gives back {@code size} bytes that were allocated as {@code buffer}. For a batch whose buffer was
     * replaced by a larger one while writing, pass the size originally allocated: the bytes are then
     * credited, and the buffer is recycled only when it still has exactly poolableSize capacity.
     */
    public void deallocate(ByteBuffer buffer, int size) {
        lock.lock();
        try {
            giveBackLocked(buffer, size);
            signalHeadWaiter();
        } finally {
            lock.unlock();
        }
        returnListener.run();
    }

    /**
     * Gives back the first {@code count} buffers of {@code buffers} (each charged at its capacity) under one
     * lock, waking the head waiter once. Why: a produce response frees several batches at once, and freeing
     * them one by one wakes a blocked caller for the first, which then contends with the sender for the
     * lock and sleeps again before the next.
     */
    public void deallocateAll(ByteBuffer[] buffers, int count) {
        if (count == 0) {
            return;
        }
        lock.lock();
        try {
            for (int i = 0; i < count; i++) {
                giveBackLocked(buffers[i], buffers[i].capacity());
            }
            signalHeadWaiter();
        } finally {
            lock.unlock();
        }
        returnListener.run();
    }

    private void giveBackLocked(ByteBuffer buffer, int size) {
        checkReturn(size);
        // While the sender's overdraft is being repaid, returned buffers repay it instead of recycling.
        if (size == buffer.capacity() && isPoolable(size) && nonPooledAvailableMemory >= 0) {
            buffer.clear();
            freeLists[size / poolableSize].addLast(buffer);
            freeBytes += size;
        } else {
            nonPooledAvailableMemory += size;
        }
    }

    /**
     * Charges {@code bytes} that are not a pooled buffer, such as records held back until their
     * topic's metadata is known. Blocks, orders waiters and fails exactly like {@link #allocate}; give
     * the bytes back with {@link #release}.
     */
    public void reserve(int bytes, long maxTimeToBlockMs) throws InterruptedException {
        checkSize(bytes);
        acquire(bytes, maxTimeToBlockMs, false);
    }

    /**
     * Turns a reservation into a buffer of {@code size} bytes without blocking: the reserved bytes count
     * towards it and the rest comes from free memory. The sender moves records that waited for metadata
     * this way, ahead of blocked callers, because those records were accepted first.
     *
     * <p>Why an overdraft: when {@code buffer.memory} is entirely taken by reservations of waiting
     * records, no batch could ever be opened to move them into, and nothing would free memory. So the
     * pool may lend up to one {@code poolableSize} (batch.size) beyond its total; memory given back
     * repays the loan before any waiter is served. The records moved into the new batch release their
     * reservations, which repays it at once in the usual case.
     *
     * @return the buffer, or null (the reservation kept) when the rest is neither free nor lendable now
     */
    public ByteBuffer allocateFromReservation(int size, int reservedBytes) {
        checkSize(size);
        lock.lock();
        try {
            if (closed) {
                throw closedException();
            }
            ByteBuffer recycled = pollFree(size);
            if (recycled != null) {
                nonPooledAvailableMemory += reservedBytes;
                signalHeadWaiter();
                return recycled;
            }
            long missing = (long) size - reservedBytes;
            if (missing > 0) {
                freeUp(missing);
                long after = nonPooledAvailableMemory - missing;
                if (after < 0 && -after > Math.max(poolableSize, 0)) {
                    return null;
                }
            }
            nonPooledAvailableMemory -= missing;
            signalHeadWaiter();
        } finally {
            lock.unlock();
            returnListener.run(); // the reservation may have covered more than the buffer, or a recycled one
        }
        return newBuffer(size);
    }

    private ByteBuffer newBuffer(int size) {
        return directBatchBuffers && size == poolableSize ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
    }

    /** Gives back bytes charged with {@link #reserve} (or by an allocation whose buffer was dropped). */
    public void release(int bytes) {
        lock.lock();
        try {
            checkReturn(bytes);
            nonPooledAvailableMemory += bytes;
            signalHeadWaiter();
        } finally {
            lock.unlock();
        }
        returnListener.run();
    }

    /** Memory that can be handed out now: non-pooled bytes plus the free list (0 while repaying a loan). */
    public long availableMemory() {
        lock.lock();
        try {
            return Math.max(0, nonPooledAvailableMemory + freeListBytes());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Memory that is neither handed out nor sitting on the free list; negative while the sender's
     * overdraft ({@link #allocateFromReservation}) is being repaid.
     */
    public long unallocatedMemory() {
        lock.lock();
        try {
            return nonPooledAvailableMemory;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Memory a caller that may not wait could take now: what is available, or 0 while callers are queued
     * (they come first).
     */
    public long availableWithoutWaiting() {
        lock.lock();
        try {
            return waiters.isEmpty() ? Math.max(0, nonPooledAvailableMemory + freeListBytes()) : 0;
        } finally {
            lock.unlock();
        }
    }

    /** Callers currently blocked waiting for memory. */
    public int queued() {
        lock.lock();
        try {
            return waiters.size();
        } finally {
            lock.unlock();
        }
    }

    public long totalMemory() {
        return totalMemory;
    }

    public int poolableSize() {
        return poolableSize;
    }

    /**
     * Fails every waiting and every later allocation or reservation with {@link ProducerClosedException}
     * (forced close). Memory can still be given back, so accounting stays balanced.
     */
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

    /**
     * Charges {@code size} bytes. Returns a recycled buffer when {@code allowPooled} and one fits;
     * otherwise null, meaning the bytes are charged and the caller allocates (outside the lock).
     */
    private ByteBuffer acquire(int size, long maxTimeToBlockMs, boolean allowPooled) throws InterruptedException {
        lock.lock();
        try {
            if (closed) {
                throw closedException();
            }
            if (size == 0) {
                return null;
            }
            if (waiters.isEmpty()) {
                ByteBuffer recycled = allowPooled ? pollFree(size) : null;
                if (recycled != null) {
                    return recycled;
                }
                if (nonPooledAvailableMemory >= 0 && nonPooledAvailableMemory + freeListBytes() >= size) {
                    freeUp(size);
                    nonPooledAvailableMemory -= size;
                    return null;
                }
            }
            if (maxTimeToBlockMs <= 0) {
                // Neither queue nor take a share from the head waiter: fail now (trySend, max.block.ms=0).
                throw exhausted(size, 0, nonPooledAvailableMemory + freeListBytes(), waiters.size());
            }
            return awaitMemory(size, Math.max(0L, maxTimeToBlockMs), allowPooled);
        } finally {
            // Memory may be left over for the next waiter: after a partial take, a timeout or a failure.
            signalHeadWaiter();
            lock.unlock();
        }
    }

    /** Called with the lock held: queues the caller and collects memory once it is at the head. */
    private ByteBuffer awaitMemory(int size, long maxTimeToBlockMs, boolean allowPooled) throws InterruptedException {
        Condition me = lock.newCondition();
        waiters.addLast(me);
        long start = time.nanoseconds();
        long maxWaitNs = TimeUnit.MILLISECONDS.toNanos(maxTimeToBlockMs);
        long accumulated = 0;
        boolean succeeded = false;
        try {
            while (true) {
                if (closed) {
                    throw closedException();
                }
                if (waiters.peekFirst() == me) {
                    // A recycled buffer of the right size beats assembling the bytes: what was collected so
                    // far goes back, rather than dropping the returned buffer and allocating a new one.
                    ByteBuffer recycled = allowPooled ? pollFree(size) : null;
                    if (recycled != null) {
                        nonPooledAvailableMemory += accumulated;
                        accumulated = 0;
                        succeeded = true;
                        return recycled;
                    }
                    long missing = size - accumulated;
                    freeUp(missing);
                    long got = Math.max(0, Math.min(missing, nonPooledAvailableMemory));
                    nonPooledAvailableMemory -= got;
                    accumulated += got;
                    if (accumulated == size) {
                        succeeded = true;
                        return null;
                    }
                }
                long remainingNs = maxWaitNs - (time.nanoseconds() - start);
                if (remainingNs <= 0) {
                    throw exhausted(size, maxTimeToBlockMs, nonPooledAvailableMemory + freeListBytes() + accumulated,
                            waiters.size() - 1);
                }
                me.awaitNanos(remainingNs);
            }
        } finally {
            waiters.remove(me);
            if (!succeeded) {
                nonPooledAvailableMemory += accumulated;
            }
        }
    }

    /**
     * Drops pooled buffers until non-pooled memory covers {@code size} or the free lists are empty; the
     * larger multiples go first, batch.size buffers last.
     */
    private void freeUp(long size) {
        for (int k = MAX_POOLED_MULTIPLE; k >= 1 && nonPooledAvailableMemory < size && freeBytes > 0; k--) {
            long bytes = (long) k * poolableSize;
            while (nonPooledAvailableMemory < size && freeLists[k].pollLast() != null) {
                freeBytes -= bytes;
                nonPooledAvailableMemory += bytes;
            }
        }
    }

    private void signalHeadWaiter() {
        Condition head = waiters.peekFirst();
        if (head != null && (closed || nonPooledAvailableMemory > 0 || freeBytes > 0)) {
            head.signal();
        }
    }

    private long freeListBytes() {
        return freeBytes;
    }

    private void checkSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + size);
        }
        if (size > totalMemory) {
            throw new RecordTooLargeException("Attempt to allocate " + size
                    + " bytes, more than buffer.memory (" + totalMemory + ") can ever provide");
        }
    }

    /** Called with the lock held: catches double frees before they corrupt the accounting. */
    private void checkReturn(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + size);
        }
        if (nonPooledAvailableMemory + freeListBytes() + size > totalMemory) {
            throw new IllegalStateException("Returning " + size + " bytes would exceed buffer.memory ("
                    + totalMemory + "); was this memory given back twice?");
        }
    }

    private BufferExhaustedException exhausted(int size, long maxTimeToBlockMs, long available, int othersWaiting) {
        String within = maxTimeToBlockMs == 0 ? " without waiting" : " within " + maxTimeToBlockMs + " ms";
        String queued = othersWaiting <= 0 ? "" : ", " + othersWaiting + " caller(s) waiting first";
        return new BufferExhaustedException("Failed to allocate " + size + " bytes" + within + "; buffer.memory is "
                + totalMemory + ", available " + Math.max(0, available) + queued, size);
    }

    private static ProducerClosedException closedException() {
        return new ProducerClosedException("Producer closed while allocating memory");
    }
}
