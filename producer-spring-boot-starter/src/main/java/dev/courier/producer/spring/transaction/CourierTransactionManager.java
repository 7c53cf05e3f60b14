package dev.courier.producer.spring.transaction;

import java.util.Objects;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.ResourceTransactionManager;
import org.springframework.transaction.support.SmartTransactionObject;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A {@link org.springframework.transaction.PlatformTransactionManager} for Courier: each Spring transaction
 * takes a transactional producer from the pool, begins a Kafka transaction on it and binds it to the thread,
 * so plain {@code ProducerTemplate.send} calls inside {@code @Transactional} methods and
 * {@code TransactionTemplate}s join it. Commit commits the Kafka transaction; rollback (an exception,
 * {@code setRollbackOnly()}, a failed commit) aborts it. The producer then goes back to the pool, or is closed
 * and replaced when its transaction failed with an error that is not merely abortable.
 */
public class CourierTransactionManager extends AbstractPlatformTransactionManager
        implements ResourceTransactionManager {

    private final TransactionalProducerPool<?, ?> pool;

    public CourierTransactionManager(TransactionalProducerPool<?, ?> pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** The key the thread's transaction is bound under. */
    @Override
    public Object getResourceFactory() {
        return pool;
    }

    @Override
    protected Object doGetTransaction() {
        return new CourierTransactionObject((CourierResourceHolder<?, ?>) TransactionSynchronizationManager
                .getResource(pool));
    }

    @Override
    protected boolean isExistingTransaction(Object transaction) {
        return ((CourierTransactionObject) transaction).holder != null;
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {
        CourierResourceHolder<?, ?> holder = CourierResourceHolder.begin(pool);
        holder.setSynchronizedWithTransaction(true);
        if (definition.getTimeout() != TransactionDefinition.TIMEOUT_DEFAULT) {
            holder.setTimeoutInSeconds(definition.getTimeout());
        }
        TransactionSynchronizationManager.bindResource(pool, holder);
        ((CourierTransactionObject) transaction).holder = holder;
    }

    @Override
    protected Object doSuspend(Object transaction) {
        ((CourierTransactionObject) transaction).holder = null;
        return TransactionSynchronizationManager.unbindResource(pool);
    }

    @Override
    protected void doResume(Object transaction, Object suspendedResources) {
        TransactionSynchronizationManager.bindResource(pool, suspendedResources);
    }

    @Override
    protected void doCommit(DefaultTransactionStatus status) {
        holder(status).commit();
    }

    @Override
    protected void doRollback(DefaultTransactionStatus status) {
        holder(status).abort();
    }

    @Override
    protected void doSetRollbackOnly(DefaultTransactionStatus status) {
        holder(status).setRollbackOnly();
    }

    @Override
    protected void doCleanupAfterCompletion(Object transaction) {
        CourierTransactionObject txObject = (CourierTransactionObject) transaction;
        TransactionSynchronizationManager.unbindResourceIfPossible(pool);
        if (txObject.holder != null) {
            txObject.holder.release();
            txObject.holder = null;
        }
    }

    private static CourierResourceHolder<?, ?> holder(DefaultTransactionStatus status) {
        return ((CourierTransactionObject) status.getTransaction()).holder;
    }

    private static final class CourierTransactionObject implements SmartTransactionObject {

        private CourierResourceHolder<?, ?> holder;

        CourierTransactionObject(CourierResourceHolder<?, ?> holder) {
            this.holder = holder;
        }

        @Override
        public boolean isRollbackOnly() {
            return holder != null && holder.isRollbackOnly();
        }

        @Override
        public void flush() {
            if (holder != null) {
                holder.producer().flush();
            }
        }
    }
}
