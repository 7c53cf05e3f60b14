package dev.courier.producer.spring.transaction;

import dev.courier.producer.Producer;
import dev.courier.producer.ProducerRecord;
import dev.courier.producer.spring.ManagedProducer;
import dev.courier.producer.spring.ProducerOperations;
import dev.courier.producer.spring.TemplateTransactions;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Finds the transaction a template send belongs to, in this order: the template's own
 * {@code executeInTransaction} on this thread; a Courier transaction bound to the thread (by
 * {@link CourierTransactionManager}, or an earlier send synchronized with another transaction manager); a new
 * Courier transaction synchronized with another transaction manager's active transaction (a DataSource's, say),
 * committed after that one commits and aborted when it rolls back, as spring-kafka does. Outside all of these a
 * send fails with an {@link IllegalStateException}, or uses the non-transactional producer when allowed.
 */
public final class TransactionalProducers<K, V> implements TemplateTransactions<K, V> {

    private final TransactionalProducerPool<K, V> pool;
    private final ManagedProducer<K, V> nonTransactional;
    private final ThreadLocal<CourierResourceHolder<K, V>> local = new ThreadLocal<>();

    /**
     * @param nonTransactional the producer for sends outside a transaction, or null to refuse them
     */
    public TransactionalProducers(TransactionalProducerPool<K, V> pool, ManagedProducer<K, V> nonTransactional) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.nonTransactional = nonTransactional;
    }

    /** {@inheritDoc} {@code record} is null for a stream ({@code sendAll}). */
    @Override
    public Producer<K, V> producerFor(ProducerRecord<?, ?> record) {
        CourierResourceHolder<K, V> holder = current();
        if (holder != null) {
            return holder.producer();
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()
                && TransactionSynchronizationManager.isActualTransactionActive()) {
            return synchronizedTransaction().producer();
        }
        if (nonTransactional != null) {
            return nonTransactional.producerFor(record);
        }
        throw new IllegalStateException("The template is transactional (courier.producer.transaction-id-prefix="
                + pool.transactionIdPrefix() + ") and " + (record != null ? "the record for topic " + record.topic()
                : "a stream of records") + " was sent outside "
                + "a transaction: send inside executeInTransaction, a @Transactional method or a "
                + "TransactionTemplate, or set courier.producer.allow-non-transactional=true");
    }

    @Override
    public Producer<K, V> currentProducer() {
        CourierResourceHolder<K, V> holder = current();
        return holder == null ? null : holder.producer();
    }

    @Override
    public BooleanSupplier currentTransactionOpen() {
        CourierResourceHolder<K, V> holder = current();
        return holder == null ? null : holder::isOpen;
    }

    @SuppressWarnings("unchecked")
    private CourierResourceHolder<K, V> current() {
        CourierResourceHolder<K, V> holder = local.get();
        if (holder != null) {
            return holder;
        }
        return (CourierResourceHolder<K, V>) TransactionSynchronizationManager.getResource(pool);
    }

    @Override
    public <T> T executeInTransaction(ProducerOperations<K, V> operations,
                                      Function<ProducerOperations<K, V>, T> callback) {
        CourierResourceHolder<K, V> outer = local.get();
        CourierResourceHolder<K, V> holder = CourierResourceHolder.begin(pool);
        local.set(holder);
        try {
            T result = callback.apply(operations);
            holder.commit();
            return result;
        } catch (RuntimeException | Error e) {
            holder.abort();
            throw e;
        } finally {
            if (outer != null) {
                local.set(outer);
            } else {
                local.remove();
            }
            holder.release();
        }
    }

    private CourierResourceHolder<K, V> synchronizedTransaction() {
        CourierResourceHolder<K, V> holder = CourierResourceHolder.begin(pool);
        TransactionSynchronizationManager.bindResource(pool, holder);
        holder.setSynchronizedWithTransaction(true);
        TransactionSynchronizationManager.registerSynchronization(new CommitAfter<>(pool, holder));
        return holder;
    }

    /**
     * Ends a Courier transaction with the transaction it is synchronized with: commits after that one committed
     * (a failure propagates to whoever committed it, and the Courier transaction is aborted), aborts otherwise.
     */
    private static final class CommitAfter<K, V> implements TransactionSynchronization {

        private final TransactionalProducerPool<K, V> pool;
        private final CourierResourceHolder<K, V> holder;

        CommitAfter(TransactionalProducerPool<K, V> pool, CourierResourceHolder<K, V> holder) {
            this.pool = pool;
            this.holder = holder;
        }

        @Override
        public void suspend() {
            TransactionSynchronizationManager.unbindResourceIfPossible(pool);
        }

        @Override
        public void resume() {
            TransactionSynchronizationManager.bindResource(pool, holder);
        }

        @Override
        public void afterCommit() {
            holder.commit();
        }

        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(pool);
            holder.release();
        }
    }
}
