package dev.courier.producer.spring.transaction;

import dev.courier.producer.Producer;
import dev.courier.producer.spring.ShutdownMode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Transactional producers, one per concurrent transaction, with the ids {@code <prefix>0 .. <prefix>(size-1)}.
 *
 * <p>A transactional id belongs to at most one live producer at a time; a producer that is discarded (its
 * transaction failed with an error that is not merely abortable, or it idled longer than the max age) gives its
 * id back, and the next producer created with that id fences any zombie left behind. Reusing a small fixed set of
 * ids keeps the broker's transaction state bounded.
 *
 * <p>Why re-initialise idle producers: the broker forgets a producer id idle longer than
 * {@code producer.id.expiration.ms} (1 day) and a transactional id idle longer than
 * {@code transactional.id.expiration.ms} (7 days); a producer used after that meets InvalidPidMapping or
 * ProducerFenced errors. Closing a producer idle longer than the max age and running {@code initTransactions()}
 * on a new one before use avoids both.
 *
 * <p>{@link #acquire()} waits up to max-block for a free producer, then fails with an
 * {@link IllegalStateException} naming the pool size. Thread-safe.
 */
public final class TransactionalProducerPool<K, V> implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(TransactionalProducerPool.class);

    private final Function<String, ? extends Producer<K, V>> factory;
    private final String prefix;
    private final int size;
    private final long maxAgeNs;
    private final Duration maxBlock;
    private final ShutdownMode shutdownMode;
    private final Duration shutdownTimeout;
    private final LongSupplier nanoClock;
    private final Semaphore permits;
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong replacedForAge = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();
    private final Object monitor = new Object();

    // Guarded by monitor.
    private final Deque<PooledProducer<K, V>> idle = new ArrayDeque<>();
    private final Deque<String> freeIds = new ArrayDeque<>();
    private final List<PooledProducer<K, V>> inUse = new ArrayList<>();
    private boolean accepting = true;
    private volatile boolean running;

    /**
     * @param factory creates an uninitialised producer for a transactional id
     * @param prefix  the transactional ids' prefix ({@code courier.producer.transaction-id-prefix})
     * @param size    most producers (and so concurrent transactions)
     * @param maxAge  a producer idle this long or longer is replaced before use (zero: before every transaction)
     * @param maxBlock longest {@link #acquire()} waits for a free producer
     */
    public TransactionalProducerPool(Function<String, ? extends Producer<K, V>> factory, String prefix, int size,
                                     Duration maxAge, Duration maxBlock, ShutdownMode shutdownMode,
                                     Duration shutdownTimeout) {
        this(factory, prefix, size, maxAge, maxBlock, shutdownMode, shutdownTimeout, System::nanoTime);
    }

    TransactionalProducerPool(Function<String, ? extends Producer<K, V>> factory, String prefix, int size,
                              Duration maxAge, Duration maxBlock, ShutdownMode shutdownMode,
                              Duration shutdownTimeout, LongSupplier nanoClock) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        if (prefix.isBlank()) {
            throw new IllegalArgumentException("transaction-id-prefix must not be blank");
        }
        if (size < 1) {
            throw new IllegalArgumentException("transaction-pool-size must be at least 1, was " + size);
        }
        if (maxAge.isNegative() || maxBlock.isNegative()) {
            throw new IllegalArgumentException("max age and max block must not be negative");
        }
        this.size = size;
        this.maxAgeNs = maxAge.toNanos();
        this.maxBlock = maxBlock;
        this.shutdownMode = Objects.requireNonNull(shutdownMode, "shutdownMode");
        this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        this.nanoClock = nanoClock;
        this.permits = new Semaphore(size, true);
        for (int i = 0; i < size; i++) {
            freeIds.add(prefix + i);
        }
    }

    /**
     * A producer with {@code initTransactions()} done and no transaction open; give it back with
     * {@link #release}. Waits up to max-block for one.
     *
     * @throws IllegalStateException when none was free within max-block, or the pool is shut down
     */
    public PooledProducer<K, V> acquire() {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(maxBlock.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted waiting for a transactional producer", e);
        }
        if (!acquired) {
            throw new IllegalStateException("No transactional producer became free within max-block ("
                    + maxBlock.toMillis() + " ms): all " + size + " (courier.producer.transaction-pool-size) are "
                    + "in transactions; raise the pool size or shorten the transactions");
        }
        try {
            return take();
        } catch (RuntimeException | Error e) {
            permits.release();
            throw e;
        }
    }

    private PooledProducer<K, V> take() {
        PooledProducer<K, V> reused;
        String id;
        synchronized (monitor) {
            if (!accepting) {
                throw new IllegalStateException("The transactional producers of '" + prefix + "' are shut down");
            }
            reused = idle.pollFirst();
            if (reused != null && nanoClock.getAsLong() - reused.lastUsedNs < maxAgeNs) {
                inUse.add(reused);
                return reused;
            }
            id = reused != null ? reused.transactionalId() : freeIds.pollFirst();
        }
        if (reused != null) {
            log.debug("Transactional producer '{}' idled longer than {} ms; replacing it", id,
                    TimeUnit.NANOSECONDS.toMillis(maxAgeNs));
            replacedForAge.incrementAndGet();
            closeQuietly(reused, Duration.ZERO);
        }
        PooledProducer<K, V> fresh;
        try {
            Producer<K, V> producer = factory.apply(id);
            try {
                producer.initTransactions();
            } catch (RuntimeException e) {
                producer.close(Duration.ZERO);
                throw e;
            }
            fresh = new PooledProducer<>(id, producer, nanoClock.getAsLong());
        } catch (RuntimeException | Error e) {
            synchronized (monitor) {
                freeIds.addFirst(id);
            }
            throw e;
        }
        created.incrementAndGet();
        synchronized (monitor) {
            if (accepting) {
                inUse.add(fresh);
                return fresh;
            }
        }
        closeQuietly(fresh, Duration.ZERO);
        throw new IllegalStateException("The transactional producers of '" + prefix + "' are shut down");
    }

    /**
     * Gives a producer back. A reusable one (no transaction open, last one committed or aborted cleanly) waits
     * for the next transaction; any other is closed and its id freed for a new producer.
     */
    public void release(PooledProducer<K, V> pooled, boolean reusable) {
        boolean keep;
        synchronized (monitor) {
            inUse.remove(pooled);
            keep = reusable && accepting;
            if (keep) {
                pooled.lastUsedNs = nanoClock.getAsLong();
                idle.addFirst(pooled);
            }
        }
        try {
            if (!keep) {
                if (!reusable) {
                    discarded.incrementAndGet();
                }
                closeQuietly(pooled, Duration.ZERO);
                synchronized (monitor) {
                    if (accepting) { // after stop() every id is free already
                        freeIds.addFirst(pooled.transactionalId());
                    }
                }
            }
        } finally {
            permits.release();
        }
    }

    /** How many producers this pool has created (and initialised) so far. */
    public long createdCount() {
        return created.get();
    }

    /** What the pool holds now and has done so far, for meters and health (a consistent snapshot of the counts). */
    public Stats stats() {
        synchronized (monitor) {
            return new Stats(size, idle.size(), inUse.size(), created.get(), replacedForAge.get(), discarded.get(),
                    accepting);
        }
    }

    /**
     * A snapshot of the pool.
     *
     * @param size           most producers (courier.producer.transaction-pool-size)
     * @param idle           producers waiting for a transaction
     * @param inUse          producers in a transaction now
     * @param created        producers created and initialised so far (including replacements)
     * @param replacedForAge producers closed and re-initialised because they idled longer than the max age
     * @param discarded      producers closed after a transaction that failed with more than an abortable error
     *                       (fenced, fatal), their ids given to new producers
     * @param accepting      false once the pool is shut down
     */
    public record Stats(int size, int idle, int inUse, long created, long replacedForAge, long discarded,
                        boolean accepting) {
    }

    public String transactionIdPrefix() {
        return prefix;
    }

    public int size() {
        return size;
    }

    private static void closeQuietly(PooledProducer<?, ?> pooled, Duration timeout) {
        try {
            pooled.producer().close(timeout);
        } catch (RuntimeException e) {
            log.warn("Closing transactional producer '{}' failed", pooled.transactionalId(), e);
        }
    }

    @Override
    public void start() {
        synchronized (monitor) {
            accepting = true;
            running = true;
        }
    }

    /**
     * Refuses new transactions and closes every producer: idle ones at once, those still in a transaction as
     * the shutdown mode says (their open transactions are never committed).
     */
    @Override
    public void stop() {
        List<PooledProducer<K, V>> closing;
        synchronized (monitor) {
            running = false;
            accepting = false;
            closing = new ArrayList<>(idle);
            closing.addAll(inUse);
            idle.clear();
            inUse.clear();
            freeIds.clear();
            for (int i = 0; i < size; i++) {
                freeIds.add(prefix + i);
            }
        }
        Duration timeout = shutdownMode == ShutdownMode.FORCED ? Duration.ZERO : shutdownTimeout;
        for (PooledProducer<K, V> pooled : closing) {
            closeQuietly(pooled, timeout);
        }
        if (!closing.isEmpty()) {
            log.info("Closed {} transactional producer(s) of '{}'", closing.size(), prefix);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return dev.courier.producer.spring.ManagedProducer.PHASE;
    }

    @Override
    public void destroy() {
        stop();
    }

    /** A pooled transactional producer and its id. */
    public static final class PooledProducer<K, V> {

        private final String transactionalId;
        private final Producer<K, V> producer;
        private volatile long lastUsedNs;

        PooledProducer(String transactionalId, Producer<K, V> producer, long lastUsedNs) {
            this.transactionalId = transactionalId;
            this.producer = producer;
            this.lastUsedNs = lastUsedNs;
        }

        public String transactionalId() {
            return transactionalId;
        }

        public Producer<K, V> producer() {
            return producer;
        }
    }
}
