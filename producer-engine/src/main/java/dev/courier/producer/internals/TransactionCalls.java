package dev.courier.producer.internals;

import dev.courier.producer.ConsumerGroupMetadata;
import dev.courier.producer.OffsetAndMetadata;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.TopicPartition;
import dev.courier.producer.errors.CourierException;
import dev.courier.producer.errors.TimeoutException;
import dev.courier.producer.internals.accumulator.PendingRecords;
import dev.courier.producer.internals.accumulator.ProducerBatch;
import dev.courier.producer.internals.accumulator.RecordAccumulator;
import dev.courier.producer.internals.config.ProducerSettings;
import dev.courier.producer.internals.sender.Sender;
import dev.courier.producer.internals.transaction.TransactionManager;
import dev.courier.producer.internals.transaction.TransactionResult;
import dev.courier.producer.internals.util.Time;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The transactional producer's API calls: each asks the {@link TransactionManager} for its next step, wakes the
 * sender thread (which does the talking to the coordinator), and waits within {@code max.block.ms}; commit and
 * abort also wait for the transaction's records to complete.
 *
 * <p>Runs on the callers' threads; it has no state of its own. The transaction state is the
 * {@code TransactionManager}'s, the records the accumulator's and the pending records'. Exists only when
 * {@code transactional.id} is set; the facade checks for misuse (a closed producer, a call from a callback)
 * before calling in.
 */
public final class TransactionCalls {

    private final TransactionManager transactions;
    private final ProducerSettings settings;
    private final Time time;
    private final RecordAccumulator accumulator;
    private final PendingRecords pending;
    private final Sender sender;

    /** {@code runtime} must have a transaction manager ({@code transactional.id} set). */
    public TransactionCalls(ProducerSettings settings, Time time, ProducerRuntime runtime, PendingRecords pending) {
        this.transactions = runtime.transactions();
        this.settings = settings;
        this.time = time;
        this.accumulator = runtime.accumulator();
        this.pending = pending;
        this.sender = runtime.sender();
    }

    public void initTransactions() {
        TransactionResult result = transactions.initTransactions();
        sender.wakeup();
        result.await(settings.maxBlockMs());
    }

    public void beginTransaction() {
        transactions.beginTransaction();
    }

    public void sendOffsets(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
        TransactionResult result = transactions.sendOffsets(offsets, groupMetadata);
        sender.wakeup();
        result.await(settings.maxBlockMs());
    }

    /**
     * Why the commit is requested before the flush: the sender thread then sends EndTxn as soon as the last record
     * is acknowledged, without a round trip through this thread; a record that fails meanwhile makes the commit
     * fail instead.
     */
    public void commit() {
        long deadline = time.monotonicMs() + settings.maxBlockMs();
        TransactionResult result = transactions.beginCommit(); // throws at once if the transaction cannot commit
        accumulator.beginFlush(); // every batch is ready now, lingering or not
        sender.wakeup();
        try {
            result.await(deadline - time.monotonicMs());
        } catch (TimeoutException e) {
            throw e; // records may still be out: calling commitTransaction() again resumes the wait
        } catch (RuntimeException e) {
            awaitRecords(deadline, "commitTransaction()"); // the failed transaction's records have all ended
            throw e;
        } finally {
            accumulator.endFlush();
        }
        awaitRecords(deadline, "commitTransaction()");
    }

    public void abort() {
        long deadline = time.monotonicMs() + settings.maxBlockMs();
        TransactionResult result = transactions.beginAbort();
        sender.wakeup();
        result.await(deadline - time.monotonicMs());
        awaitRecords(deadline, "abortTransaction()"); // the aborted records' futures have completed
    }

    /** Flushes and waits, until {@code deadline} at most, for every record accepted so far to complete. */
    private void awaitRecords(long deadline, String call) {
        accumulator.beginFlush();
        sender.wakeup();
        try {
            for (CompletableFuture<RecordMetadata> future : pending.futures()) {
                awaitUntil(future, deadline, call);
            }
            for (ProducerBatch batch : accumulator.incompleteBatches()) {
                awaitUntil(batch.completion(), deadline, call);
            }
        } finally {
            accumulator.endFlush();
        }
    }

    private void awaitUntil(CompletableFuture<?> future, long deadline, String call) {
        try {
            future.get(Math.max(0, deadline - time.monotonicMs()), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // the record failed; the transaction's state says what that means
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException(call + " could not complete the transaction's records within "
                    + settings.maxBlockMs() + " ms (max.block.ms); call it again to keep waiting");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CourierException("Interrupted in " + call, e);
        }
    }
}
