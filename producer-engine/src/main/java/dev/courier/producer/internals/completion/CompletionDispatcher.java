package dev.courier.producer.internals.completion;

import java.util.concurrent.LinkedBlockingQueue;
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
 */
public final class CompletionDispatcher {

    private static final Logger log = LoggerFactory.getLogger(CompletionDispatcher.class);

    private static final Runnable STOP = () -> { };

    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final Thread thread;
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
    }

    /** Whether the current thread is the completion thread (so flush/close can refuse to deadlock). */
    public boolean isCompletionThread() {
        return Thread.currentThread() == thread;
    }

    private void run() {
        while (true) {
            Runnable task;
            try {
                task = tasks.take();
            } catch (InterruptedException e) {
                continue; // nobody interrupts this thread on purpose; stop() uses STOP
            }
            if (task == STOP) {
                return;
            }
            try {
                task.run();
            } catch (Throwable t) {
                log.error("A completion task failed", t);
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
            tasks.add(STOP);
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
        if (!done) {
            log.warn("Callbacks still running after {} ms; {} completions not yet run", timeoutMs, tasks.size());
        }
        return done;
    }
}
