package dev.courier.producer.spring.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.courier.producer.Producer;
import dev.courier.producer.errors.ProducerFencedException;
import dev.courier.producer.errors.TransactionAbortableException;
import dev.courier.producer.spring.ShutdownMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The pool and the transaction holder over mock producers, with a manual clock. */
class TransactionalProducerPoolTests {

    private final List<String> createdIds = new ArrayList<>();
    private final List<Producer<String, String>> created = new ArrayList<>();
    private final AtomicLong nanos = new AtomicLong();

    @SuppressWarnings("unchecked")
    private TransactionalProducerPool<String, String> pool(int size, Duration maxAge, Duration maxBlock) {
        return new TransactionalProducerPool<>(id -> {
            Producer<String, String> producer = mock(Producer.class);
            createdIds.add(id);
            created.add(producer);
            return producer;
        }, "orders-tx-", size, maxAge, maxBlock, ShutdownMode.GRACEFUL, Duration.ofSeconds(5), nanos::get);
    }

    @Test
    void producersGetThePrefixedIdsAreInitialisedAndReused() {
        TransactionalProducerPool<String, String> pool = pool(2, Duration.ofMinutes(5), Duration.ofSeconds(1));
        TransactionalProducerPool.PooledProducer<String, String> first = pool.acquire();
        TransactionalProducerPool.PooledProducer<String, String> second = pool.acquire();
        assertThat(createdIds).containsExactly("orders-tx-0", "orders-tx-1");
        verify(first.producer()).initTransactions();

        pool.release(second, true);
        nanos.addAndGet(Duration.ofMinutes(4).toNanos());
        assertThat(pool.acquire()).isSameAs(second);
        assertThat(pool.createdCount()).isEqualTo(2);
    }

    @Test
    void aProducerIdleForTheMaxAgeIsClosedAndItsIdGoesToANewProducer() {
        TransactionalProducerPool<String, String> pool = pool(1, Duration.ofMinutes(5), Duration.ofSeconds(1));
        TransactionalProducerPool.PooledProducer<String, String> old = pool.acquire();
        pool.release(old, true);
        nanos.addAndGet(Duration.ofMinutes(5).toNanos());

        TransactionalProducerPool.PooledProducer<String, String> fresh = pool.acquire();
        assertThat(fresh).isNotSameAs(old);
        assertThat(fresh.transactionalId()).isEqualTo("orders-tx-0");
        verify(old.producer()).close(Duration.ZERO);
        verify(fresh.producer()).initTransactions();
    }

    @Test
    void whenAllProducersAreInTransactionsAcquireFailsAfterMaxBlockNamingThePoolSize() {
        TransactionalProducerPool<String, String> pool = pool(1, Duration.ofMinutes(5), Duration.ofMillis(20));
        pool.acquire();
        assertThatThrownBy(pool::acquire).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("transaction-pool-size").hasMessageContaining("all 1");
    }

    @Test
    void aFailedInitialisationClosesTheProducerAndFreesTheIdAndThePermit() {
        RuntimeException refused = new RuntimeException("coordinator unreachable");
        TransactionalProducerPool<String, String> failing = new TransactionalProducerPool<>(id -> {
            @SuppressWarnings("unchecked")
            Producer<String, String> producer = mock(Producer.class);
            if (createdIds.isEmpty()) {
                doThrow(refused).when(producer).initTransactions();
            }
            createdIds.add(id);
            created.add(producer);
            return producer;
        }, "orders-tx-", 1, Duration.ofMinutes(5), Duration.ofMillis(20), ShutdownMode.GRACEFUL,
                Duration.ofSeconds(5), nanos::get);
        assertThatThrownBy(failing::acquire).isSameAs(refused);
        verify(created.get(0)).close(Duration.ZERO);
        // The permit and the id came back: the next acquire does not wait and reuses the id.
        assertThat(failing.acquire().transactionalId()).isEqualTo("orders-tx-0");
        assertThat(failing.createdCount()).isEqualTo(1);
    }

    @Test
    void aCommitFailingWithAnAbortableErrorAbortsAndKeepsTheProducer() {
        TransactionalProducerPool<String, String> pool = pool(1, Duration.ofMinutes(5), Duration.ofSeconds(1));
        CourierResourceHolder<String, String> holder = CourierResourceHolder.begin(pool);
        Producer<String, String> producer = holder.producer();
        doThrow(new TransactionAbortableException("a send failed")).when(producer).commitTransaction();

        assertThatThrownBy(holder::commit).isInstanceOf(TransactionAbortableException.class);
        holder.abort();
        holder.release();

        verify(producer).abortTransaction();
        verify(producer, never()).close(any(Duration.class));
        assertThat(pool.acquire().producer()).isSameAs(producer);
    }

    @Test
    void aFencedProducerIsClosedAndReplacedNotReturnedToThePool() {
        TransactionalProducerPool<String, String> pool = pool(1, Duration.ofMinutes(5), Duration.ofSeconds(1));
        CourierResourceHolder<String, String> holder = CourierResourceHolder.begin(pool);
        Producer<String, String> fenced = holder.producer();
        doThrow(new ProducerFencedException("fenced")).when(fenced).commitTransaction();

        assertThatThrownBy(holder::commit).isInstanceOf(ProducerFencedException.class);
        holder.abort();
        holder.release();

        verify(fenced, never()).abortTransaction();
        verify(fenced).close(Duration.ZERO);
        TransactionalProducerPool.PooledProducer<String, String> next = pool.acquire();
        assertThat(next.producer()).isNotSameAs(fenced);
        assertThat(next.transactionalId()).isEqualTo("orders-tx-0");
    }

    @Test
    void aTransactionReleasedWithoutEndingIsAborted() {
        TransactionalProducerPool<String, String> pool = pool(1, Duration.ofMinutes(5), Duration.ofSeconds(1));
        CourierResourceHolder<String, String> holder = CourierResourceHolder.begin(pool);
        holder.release();
        verify(holder.producer()).beginTransaction();
        verify(holder.producer()).abortTransaction();
    }

    @Test
    void stopClosesIdleAndBusyProducersAndRefusesNewTransactions() {
        TransactionalProducerPool<String, String> pool = pool(2, Duration.ofMinutes(5), Duration.ofSeconds(1));
        TransactionalProducerPool.PooledProducer<String, String> idle = pool.acquire();
        TransactionalProducerPool.PooledProducer<String, String> busy = pool.acquire();
        pool.release(idle, true);

        pool.stop();

        verify(idle.producer()).close(Duration.ofSeconds(5));
        verify(busy.producer()).close(Duration.ofSeconds(5));
        assertThatThrownBy(pool::acquire).isInstanceOf(IllegalStateException.class).hasMessageContaining("shut down");
        pool.release(busy, true); // the busy transaction ends after the stop: its producer is not pooled again
        pool.start();
        assertThat(pool.acquire().producer()).isNotSameAs(busy.producer()).isNotSameAs(idle.producer());
        assertThat(createdIds).containsExactly("orders-tx-0", "orders-tx-1", "orders-tx-0");
    }

    @Test
    void statsCountIdleInUseCreatedReinitialisedForAgeAndDiscarded() {
        TransactionalProducerPool<String, String> pool = pool(3, Duration.ofMinutes(5), Duration.ofSeconds(1));
        assertThat(pool.stats()).isEqualTo(new TransactionalProducerPool.Stats(3, 0, 0, 0, 0, 0, true));

        TransactionalProducerPool.PooledProducer<String, String> a = pool.acquire();
        TransactionalProducerPool.PooledProducer<String, String> b = pool.acquire();
        assertThat(pool.stats()).isEqualTo(new TransactionalProducerPool.Stats(3, 0, 2, 2, 0, 0, true));
        pool.release(a, true);
        pool.release(b, false); // fenced: closed, its id freed
        assertThat(pool.stats()).isEqualTo(new TransactionalProducerPool.Stats(3, 1, 0, 2, 0, 1, true));

        nanos.addAndGet(Duration.ofMinutes(5).toNanos());
        TransactionalProducerPool.PooledProducer<String, String> renewed = pool.acquire(); // a idled too long
        assertThat(renewed).isNotSameAs(a);
        assertThat(pool.stats()).isEqualTo(new TransactionalProducerPool.Stats(3, 0, 1, 3, 1, 1, true));
        pool.release(renewed, true);

        pool.stop();
        assertThat(pool.stats()).isEqualTo(new TransactionalProducerPool.Stats(3, 0, 0, 3, 1, 1, false));
    }
}
