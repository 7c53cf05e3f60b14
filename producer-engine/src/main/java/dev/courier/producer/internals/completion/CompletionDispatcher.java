package dev.courier.producer.internals.completion;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that completes futures and runs user callbacks, in the order the sender hands
 * batches over (which is send order per partition).
 *
 * <p>Why a thread of its own: a slow callback must not stall the network I/O of other partitions, and
 * callbacks must never run while an engine lock is held. The sender only enqueues; everything the user
 * wrote runs here. The rule for users (see {@link dev.courier.producer.Callback}): a callback that
 * blocks delays later callbacks, not sending; a callback must not wait on the producer itself.
 *
 * <p>Why not a {@code BlockingQueue}: the hand-off happens once per produce response, and at low rates the
 * completion thread is asleep every time. A blocking queue's locks make each hand-off several futex calls
 * (signal under the lock, then the woken thread contending for it); here the sender only appends to a
 * lock-free queue and unparks the thread when it announced it is going to sleep, so a hand-off costs at
 * most one wake-up.
 */
public final class CompletionDispatcher {

    private static final Logger log = LoggerFactory.getLogger(CompletionDispatcher.class);

    private static final Runnable STOP = () -> { };

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    /**
     * Set by the completion thread just before it parks, cleared after. Dispatchers read it after
     * enqueuing and the thread re-checks the queue after setting it (both volatile), so either the
     * dispatcher sees it and unparks, or the thread sees the task: no hand-off is missed.
     */
    private volatile boolean parking;
    private volatile boolean stopping;

    public CompletionDispatcher(String clientId) {
        this.thread = new Thread(this::run, "courier-producer-callbacks-" + clientId);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Queues a completion; it runs after every completion queued before it. */
    public void dispatch(Runnable completion) {
        tasks.add(completion);
        if (parking) {
            LockSupport.unpark(thread);
        }
    }

    /** Whether the current thread is the completion thread (so flush/close can refuse to deadlock). */
    public boolean isCompletionThread() {
        return Thread.currentThread() == thread;
    }

    private void run() {
        while (true) {
            Runnable task = tasks.poll();
            if (task == null) {
                parking = true;
                if (tasks.isEmpty()) {
                    // Returns on unpark, spuriously, or on an interrupt (nobody interrupts this thread on
                    // purpose; stop() uses STOP): the loop re-checks in every case.
                    LockSupport.park(this);
                }
                parking = false;
                Thread.interrupted();
                continue;
            }
            if (task == STOP) {
                return;
            }
            runSafely(task);
        }
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            log.error("A completion task failed", t);
        }
    }

    /**
     * Completions dispatched after the thread took its stop signal (a send refused while the producer was
     * closing) run here, on the closing thread, so that no future is left incomplete.
     */
    private void runLateArrivals() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            if (task != STOP) {
                runSafely(task);
            }
        }
    }

    /**
     * Runs what is queued, then stops. Waits at most {@code timeoutMs} for the thread to finish,
     * so that a callback blocked forever cannot hang {@code close()}.
     *
     * @return true if every queued completion ran
     */
    public boolean stop(long timeoutMs) {
        if (!stopping) {
            stopping = true;
            dispatch(STOP);
        }
        if (isCompletionThread()) {
            return false; // close() from a callback: the rest runs after that callback returns
        }
        try {
            thread.join(Math.max(1, timeoutMs));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean done = !thread.isAlive();
        if (done) {
            runLateArrivals();
        }
        if (!done) {
            log.warn("Callbacks still running after {} ms; {} completions not yet run", timeoutMs, tasks.size());
        }
        return done;
    }
}
