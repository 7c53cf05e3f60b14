package dev.courier.producer.internals.admission;

import dev.courier.producer.ProducerCapacity;
import dev.courier.producer.errors.ProducerClosedException;
import dev.courier.producer.internals.accumulator.BufferPool;
import dev.courier.producer.internals.completion.CompletionDispatcher;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The producer's capacity right now ({@link #now()}) and one-shot waits for room ({@link #when(long)}).
 *
 * <p>How a wait learns of room without polling: the pool (and the record limit) call {@link #onRoom()} after
 * every return. With nobody waiting that is one volatile read. With waiters it queues a check on the
 * completion thread (at most one queued at a time), which reads the capacity and completes the waits it
 * satisfies there: waits never complete on the sender thread, and never inside a pool lock.
 *
 * <p>No lost wake-up: a waiter is added (and {@link #waiting} set) before its first check is queued, so
 * memory returned after that check read the capacity finds {@code waiting} set and queues another check.
 *
 * <p>A completed wait is a hint, not a reservation: every waiter that fits is told, and another thread may
 * take the room first.
 */
public final class CapacitySignal {

    private record Waiter(long bytes, CompletableFuture<Void> future) {
    }

    private final BufferPool pool;
    /** Null when max.buffered.records is off. */
    private final RecordLimit records;
    private final CompletionDispatcher dispatcher;

    private final Object lock = new Object();
    // lock guards the following
    private final List<Waiter> waiters = new ArrayList<>();
    private boolean closed;
    // end of lock-guarded state

    /** Whether anyone waits: the only thing a return of memory reads when nobody does. */
    private volatile boolean waiting;
    private final AtomicBoolean checkQueued = new AtomicBoolean();

    public CapacitySignal(BufferPool pool, RecordLimit records, CompletionDispatcher dispatcher) {
        this.pool = pool;
        this.records = records;
        this.dispatcher = dispatcher;
    }

    /** What a caller that may not wait could take now. */
    public ProducerCapacity now() {
        return new ProducerCapacity(pool.availableWithoutWaiting(), records == null ? -1 : records.availableWithoutWaiting());
    }

    /**
     * Completes, on the completion thread, once at least {@code bytes} bytes and one record are available;
     * also when they already are. Fails with {@code ProducerClosedException} if the producer closes first.
     */
    public CompletableFuture<Void> when(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
        }
        if (bytes > pool.totalMemory()) {
            throw new IllegalArgumentException("bytes (" + bytes + ") exceed buffer.memory (" + pool.totalMemory()
                    + "): there will never be that much room");
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("Cannot wait for capacity after the producer is closed");
            }
            waiters.add(new Waiter(bytes, future));
            waiting = true;
        }
        queueCheck();
        return future;
    }

    /** Called after memory or a record slot is given back (any thread, often the sender's). */
    public void onRoom() {
        if (waiting) {
            queueCheck();
        }
    }

    /** Whether any wait is open (for tests: with none, a return of memory reads one volatile and stops). */
    boolean hasWaiters() {
        return waiting;
    }

    private void queueCheck() {
        if (checkQueued.compareAndSet(false, true)) {
            dispatcher.dispatch(this::check);
        }
    }

    /** Completion thread: completes the waits the capacity now satisfies. */
    private void check() {
        checkQueued.set(false);
        ProducerCapacity capacity = now();
        List<CompletableFuture<Void>> ready = null;
        synchronized (lock) {
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter waiter = it.next();
                if (capacity.hasRoomFor(waiter.bytes())) {
                    it.remove();
                    if (ready == null) {
                        ready = new ArrayList<>();
                    }
                    ready.add(waiter.future());
                }
            }
            waiting = !waiters.isEmpty();
        }
        if (ready != null) {
            for (CompletableFuture<Void> future : ready) {
                future.complete(null);
            }
        }
    }

    /** Fails every wait still open (the producer closed; the completion thread may be gone: runs here). */
    public void close() {
        List<Waiter> left;
        synchronized (lock) {
            closed = true;
            left = new ArrayList<>(waiters);
            waiters.clear();
            waiting = false;
        }
        for (Waiter waiter : left) {
            waiter.future().completeExceptionally(new ProducerClosedException(
                    "Producer closed before " + waiter.bytes() + " bytes of capacity came free"));
        }
    }
}
