package dev.courier.producer.spring.health;

import dev.courier.producer.spring.transaction.TransactionalProducerPool;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The transactional producer pool ({@code courierTransactions}): DOWN once it is shut down, UP otherwise, with
 * its counts as details (size, idle, in use, created, re-initialised because of age, discarded). A pool with
 * every producer in use is busy, not broken, so still UP; cheap, it only reads the pool's counts.
 */
public final class TransactionalPoolHealthIndicator extends AbstractHealthIndicator {

    private final TransactionalProducerPool<?, ?> pool;

    public TransactionalPoolHealthIndicator(TransactionalProducerPool<?, ?> pool) {
        super("Courier transactional producer pool health check failed");
        this.pool = pool;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        TransactionalProducerPool.Stats stats = pool.stats();
        builder.withDetail("transactionIdPrefix", pool.transactionIdPrefix())
                .withDetail("size", stats.size())
                .withDetail("idle", stats.idle())
                .withDetail("inUse", stats.inUse())
                .withDetail("created", stats.created())
                .withDetail("reinitialised", stats.replacedForAge())
                .withDetail("discarded", stats.discarded());
        if (stats.accepting()) {
            builder.up();
        } else {
            builder.down().withDetail("reason", "the pool is shut down");
        }
    }
}
