package dev.courier.producer.spring.metrics;

import dev.courier.producer.spring.transaction.TransactionalProducerPool;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.function.ToDoubleFunction;

/**
 * Meters of the transactional producer pool, read live from {@link TransactionalProducerPool#stats()} and tagged
 * with {@code transaction.id.prefix}: gauges {@code courier.producer.transaction.pool.size}, {@code .idle} and
 * {@code .in.use}; counters {@code courier.producer.transaction.pool.created}, {@code .reinitialised} (replaced
 * because they idled longer than the max age) and {@code .discarded} (closed after a failed transaction). A pool
 * that keeps re-initialising producers idles longer than {@code transaction-producer-max-age}; one that keeps
 * discarding them is being fenced.
 */
public final class TransactionalPoolMeters {

    /** Prefix of every pool meter name. */
    public static final String PREFIX = ProducerMeters.PREFIX + "transaction.pool.";

    private final TransactionalProducerPool<?, ?> pool;
    private final Tags tags;

    public TransactionalPoolMeters(TransactionalProducerPool<?, ?> pool) {
        this.pool = pool;
        this.tags = Tags.of("transaction.id.prefix", pool.transactionIdPrefix());
    }

    /** Registers the pool's meters with {@code registry}. */
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "size", "Most transactional producers (and so concurrent transactions)",
                TransactionalProducerPool.Stats::size);
        gauge(registry, "idle", "Transactional producers waiting for a transaction",
                TransactionalProducerPool.Stats::idle);
        gauge(registry, "in.use", "Transactional producers in a transaction now",
                TransactionalProducerPool.Stats::inUse);
        counter(registry, "created", "Transactional producers created and initialised",
                TransactionalProducerPool.Stats::created);
        counter(registry, "reinitialised", "Transactional producers replaced by a newly initialised one because they "
                + "idled longer than the max age", TransactionalProducerPool.Stats::replacedForAge);
        counter(registry, "discarded", "Transactional producers closed after a transaction failed beyond abort "
                + "(fenced, fatal)", TransactionalProducerPool.Stats::discarded);
    }

    private void gauge(MeterRegistry registry, String name, String description,
                       ToDoubleFunction<TransactionalProducerPool.Stats> value) {
        Gauge.builder(PREFIX + name, pool, p -> value.applyAsDouble(p.stats())).description(description).tags(tags)
                .register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description,
                         ToDoubleFunction<TransactionalProducerPool.Stats> value) {
        FunctionCounter.builder(PREFIX + name, pool, p -> value.applyAsDouble(p.stats())).description(description)
                .tags(tags).register(registry);
    }
}
