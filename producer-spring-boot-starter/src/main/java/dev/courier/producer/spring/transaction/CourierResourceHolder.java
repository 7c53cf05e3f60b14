package dev.courier.producer.spring.transaction;

import dev.courier.producer.Producer;
import dev.courier.producer.errors.TransactionAbortableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.ResourceHolderSupport;

/**
 * One open Courier transaction on a pooled producer, bound to the thread (under the pool as key) while it
 * runs. Ends exactly once: {@link #commit()} or {@link #abort()}, then {@link #release()} returns the producer to
 * the pool, or discards it when the transaction failed with anything but an abortable error (KIP-1050: after an
 * application-recoverable or fatal error the producer can do no more transactional work).
 */
public final class CourierResourceHolder<K, V> extends ResourceHolderSupport {

    private static final Logger log = LoggerFactory.getLogger(CourierResourceHolder.class);

    private final TransactionalProducerPool<K, V> pool;
    private final TransactionalProducerPool.PooledProducer<K, V> pooled;
    // Written by the transaction's thread; volatile for isOpen, which other threads may call.
    private volatile boolean ended;
    private boolean reusable = true;
    private volatile boolean released;

    private CourierResourceHolder(TransactionalProducerPool<K, V> pool,
                                  TransactionalProducerPool.PooledProducer<K, V> pooled) {
        this.pool = pool;
        this.pooled = pooled;
    }

    /** Takes a producer from the pool and begins a transaction on it. */
    public static <K, V> CourierResourceHolder<K, V> begin(TransactionalProducerPool<K, V> pool) {
        TransactionalProducerPool.PooledProducer<K, V> pooled = pool.acquire();
        try {
            pooled.producer().beginTransaction();
        } catch (RuntimeException | Error e) {
            pool.release(pooled, false);
            throw e;
        }
        return new CourierResourceHolder<>(pool, pooled);
    }

    public Producer<K, V> producer() {
        return pooled.producer();
    }

    /** Whether the transaction is neither ended nor released: sends may still join it. Any thread. */
    public boolean isOpen() {
        return !ended && !released;
    }

    public String transactionalId() {
        return pooled.transactionalId();
    }

    /**
     * Commits. On failure the transaction is still open (the caller aborts it through {@link #abort()}); the
     * producer stays reusable only when the error was abortable.
     */
    public void commit() {
        try {
            pooled.producer().commitTransaction();
            ended = true;
        } catch (RuntimeException e) {
            if (!(e instanceof TransactionAbortableException)) {
                reusable = false;
            }
            throw e;
        }
    }

    /** Aborts unless already ended; a failed abort marks the producer for discarding instead of throwing. */
    public void abort() {
        if (ended) {
            return;
        }
        ended = true;
        if (!reusable) {
            // After an application-recoverable or fatal error abort cannot succeed; closing the producer
            // (in release) leaves the transaction to be aborted by the id's next producer or the timeout.
            return;
        }
        try {
            pooled.producer().abortTransaction();
        } catch (RuntimeException e) {
            reusable = false;
            log.warn("Aborting the transaction of '{}' failed; closing its producer", transactionalId(), e);
        }
    }

    /** Returns the producer to the pool (or discards it); aborts first when the transaction is still open. */
    public void release() {
        if (released) {
            return;
        }
        released = true;
        if (!ended) {
            abort();
        }
        pool.release(pooled, reusable);
    }
}
