package dev.courier.producer.internals;

import dev.courier.producer.CourierProducer;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.errors.CourierException;
import dev.courier.producer.errors.TimeoutException;
import dev.courier.producer.internals.accumulator.PendingRecords;
import dev.courier.producer.internals.accumulator.ProducerBatch;
import dev.courier.producer.internals.accumulator.RecordAccumulator;
import dev.courier.producer.internals.config.ProducerSettings;
import dev.courier.producer.internals.sender.Sender;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code flush()} and {@code purge()}: the two calls that act on every record buffered so far at once, the first
 * by sending them all now and waiting for them to complete, the second by failing those not sent yet.
 *
 * <p>Runs on the callers' threads; it has no state of its own. The records are the accumulator's and the pending
 * records' (written by the send path and the sender thread); the purge itself runs on the sender thread. The
 * facade checks for misuse (a closed producer, a call from a callback) before calling in.
 */
public final class BufferedRecords {

    /** The facade's logger, so that log settings made for {@code CourierProducer} still cover these messages. */
    private static final Logger log = LoggerFactory.getLogger(CourierProducer.class);

    private final ProducerSettings settings;
    private final RecordAccumulator accumulator;
    private final PendingRecords pending;
    private final Sender sender;

    public BufferedRecords(ProducerSettings settings, ProducerRuntime runtime, PendingRecords pending) {
        this.settings = settings;
        this.accumulator = runtime.accumulator();
        this.pending = pending;
        this.sender = runtime.sender();
    }

    /**
     * Fails the records buffered and not yet sent and returns how many, waiting up to {@code max.block.ms} for the
     * network thread to do it (why there: {@code RecordPurger}). On a timeout the purge still happens; only its
     * count is lost.
     */
    public int purge() {
        CompletableFuture<Integer> purged = sender.requestPurge();
        try {
            int count = purged.get(settings.maxBlockMs(), TimeUnit.MILLISECONDS);
            log.debug("Purged {} records before they were sent", count);
            return count;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("The network thread did not purge within " + settings.maxBlockMs()
                    + " ms (max.block.ms)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CourierException("Interrupted while purging", e);
        } catch (ExecutionException e) {
            throw new CourierException("Purge failed", e.getCause());
        }
    }

    /** Makes every batch ready now, lingering or not, and waits, without a deadline, for every record to complete. */
    public void flush() {
        accumulator.beginFlush();
        sender.wakeup();
        try {
            for (CompletableFuture<RecordMetadata> future : pending.futures()) {
                awaitQuietly(future);
            }
            for (ProducerBatch batch : accumulator.incompleteBatches()) {
                awaitQuietly(batch.completion());
            }
        } finally {
            accumulator.endFlush();
        }
    }

    private static void awaitQuietly(CompletableFuture<?> future) {
        try {
            future.get();
        } catch (ExecutionException e) {
            // the record failed; flush only waits for completion
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CourierException("Interrupted while flushing", e);
        }
    }
}
