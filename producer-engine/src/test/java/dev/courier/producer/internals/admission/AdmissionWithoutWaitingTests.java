package dev.courier.producer.internals.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.courier.producer.ProducerCapacity;
import dev.courier.producer.errors.BufferExhaustedException;
import dev.courier.producer.errors.ProducerClosedException;
import dev.courier.producer.internals.accumulator.BufferPool;
import dev.courier.producer.internals.completion.CompletionDispatcher;
import dev.courier.producer.internals.util.Time;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The zero-wait admission behind {@code trySend} (buffer memory and {@code max.buffered.records}) and the
 * capacity signal behind {@code capacity()} and {@code whenCapacity}.
 */
class AdmissionWithoutWaitingTests {

    private static final int BATCH = 1024;
    private static final Duration AWAIT = Duration.ofSeconds(10);

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CompletionDispatcher dispatcher = new CompletionDispatcher("admission-tests");

    @AfterEach
    void stop() {
        threads.shutdownNow();
        dispatcher.stop(5_000);
    }

    @Test
    void aZeroWaitAllocationTakesFreeMemoryWhenNobodyWaits() throws Exception {
        BufferPool pool = new BufferPool(2 * BATCH, BATCH, Time.SYSTEM);
        ByteBuffer first = pool.allocate(BATCH, 0);
        assertThat(pool.allocate(BATCH, 0)).isNotNull();

        assertThatThrownBy(() -> pool.allocate(BATCH, 0)).isInstanceOf(BufferExhaustedException.class)
                .hasMessageContaining("without waiting")
                .satisfies(e -> assertThat(((BufferExhaustedException) e).requestedBytes()).isEqualTo(BATCH));
        assertThat(pool.queued()).as("it never queued").isZero();
        pool.deallocate(first);
        assertThat(pool.allocate(BATCH, 0)).isNotNull();
    }

    @Test
    void aZeroWaitAllocationNeverOvertakesABlockedCallerNorTakesItsShare() throws Exception {
        BufferPool pool = new BufferPool(2 * BATCH, BATCH, Time.SYSTEM);
        ByteBuffer a = pool.allocate(BATCH, 0);
        ByteBuffer b = pool.allocate(BATCH, 0);
        CompletableFuture<ByteBuffer> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return pool.allocate(2 * BATCH, 60_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, threads);
        await().atMost(AWAIT).until(() -> pool.queued() == 1);
        pool.deallocate(a); // half of what the blocked caller needs: it collects it

        assertThatThrownBy(() -> pool.allocate(BATCH, 0)).isInstanceOf(BufferExhaustedException.class)
                .hasMessageContaining("1 caller(s) waiting first");
        assertThatThrownBy(() -> pool.reserve(10, 0)).isInstanceOf(BufferExhaustedException.class);
        assertThat(pool.availableWithoutWaiting()).isZero();

        pool.deallocate(b);
        assertThat(blocked).succeedsWithin(AWAIT).extracting(ByteBuffer::capacity).isEqualTo(2 * BATCH);
    }

    @Test
    void theRecordLimitAdmitsUpToItsMaxAndAZeroWaitFailsAtOnceBeyond() throws Exception {
        RecordLimit limit = new RecordLimit(2, Time.SYSTEM);
        limit.acquire(0);
        limit.acquire(0);
        assertThatThrownBy(() -> limit.acquire(0)).isInstanceOf(BufferExhaustedException.class)
                .hasMessageContaining("max.buffered.records (2)")
                .satisfies(e -> assertThat(((BufferExhaustedException) e).requestedBytes()).isEqualTo(-1));
        limit.release(1);
        assertThat(limit.availableWithoutWaiting()).isEqualTo(1);
        limit.acquire(0);
        assertThatThrownBy(() -> limit.release(3)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBlockedAcquireGetsTheNextReleasedSlotAheadOfZeroWaitCallers() throws Exception {
        RecordLimit limit = new RecordLimit(1, Time.SYSTEM);
        limit.acquire(0);
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
            try {
                limit.acquire(60_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, threads);
        await().atMost(AWAIT).until(() -> limit.availableWithoutWaiting() == 0 && !blocked.isDone()
                && queuedBehind(limit));
        limit.release(1);
        assertThat(blocked).succeedsWithin(AWAIT);
        assertThatThrownBy(() -> limit.acquire(0)).isInstanceOf(BufferExhaustedException.class);
    }

    /** Whether a zero-wait acquire names a queued caller (the blocked thread reached its wait). */
    private static boolean queuedBehind(RecordLimit limit) {
        try {
            limit.acquire(0);
            limit.release(1);
            return false;
        } catch (BufferExhaustedException e) {
            return e.getMessage().contains("waiting first");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aBlockedAcquireTimesOutWithBufferExhaustedAndCloseFailsWaiters() throws Exception {
        RecordLimit limit = new RecordLimit(1, Time.SYSTEM);
        limit.acquire(0);
        assertThatThrownBy(() -> limit.acquire(1)).isInstanceOf(BufferExhaustedException.class)
                .hasMessageContaining("within 1 ms");
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
            try {
                limit.acquire(60_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, threads);
        await().atMost(AWAIT).until(() -> queuedBehind(limit));
        limit.close();
        assertThat(blocked).failsWithin(AWAIT).withThrowableOfType(Exception.class)
                .withCauseInstanceOf(ProducerClosedException.class);
    }

    @Test
    void capacityReportsFreeBytesAndRecords() throws Exception {
        BufferPool pool = new BufferPool(4 * BATCH, BATCH, Time.SYSTEM);
        RecordLimit limit = new RecordLimit(3, Time.SYSTEM);
        assertThat(new CapacitySignal(pool, null, dispatcher).now()).isEqualTo(new ProducerCapacity(4 * BATCH, -1));
        CapacitySignal signal = new CapacitySignal(pool, limit, dispatcher);
        pool.allocate(BATCH, 0);
        limit.acquire(0);
        assertThat(signal.now()).isEqualTo(new ProducerCapacity(3 * BATCH, 2));
    }

    @Test
    void aWaitCompletesOnTheCallbackThreadOnceEnoughMemoryIsBack() throws Exception {
        dispatcher.start();
        BufferPool pool = new BufferPool(2 * BATCH, BATCH, Time.SYSTEM);
        CapacitySignal signal = new CapacitySignal(pool, null, dispatcher);
        pool.onMemoryReturned(signal::onRoom);
        ByteBuffer a = pool.allocate(BATCH, 0);
        ByteBuffer b = pool.allocate(BATCH, 0);
        AtomicReference<String> thread = new AtomicReference<>();

        CompletableFuture<Void> room = signal.when(2 * BATCH).thenRun(() -> thread.set(Thread.currentThread().getName()))
                .toCompletableFuture();
        pool.deallocate(a);
        // One batch back is not enough for 2 * BATCH: let the check that return queued run, then look.
        CompletableFuture<Void> probe = signal.when(0).toCompletableFuture();
        assertThat(probe).succeedsWithin(AWAIT);
        assertThat(room).isNotDone();

        assertThat(signal.hasWaiters()).isTrue();
        pool.deallocate(b);
        assertThat(room).succeedsWithin(AWAIT);
        assertThat(thread.get()).startsWith("courier-producer-callbacks-");
        assertThat(signal.hasWaiters()).as("a return now costs one volatile read again").isFalse();
    }

    @Test
    void aWaitForRoomThatIsThereAlreadyCompletesOnTheCallbackThreadToo() throws Exception {
        dispatcher.start();
        CapacitySignal signal = new CapacitySignal(new BufferPool(2 * BATCH, BATCH, Time.SYSTEM), null, dispatcher);
        // Hold the callback thread, so the stage below is attached before the wait can complete.
        CountDownLatch hold = new CountDownLatch(1);
        dispatcher.dispatch(() -> {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        AtomicReference<String> thread = new AtomicReference<>();
        CompletableFuture<Void> room = signal.when(BATCH).thenRun(() -> thread.set(Thread.currentThread().getName()))
                .toCompletableFuture();
        assertThat(room).as("not on the caller's thread").isNotDone();
        hold.countDown();
        assertThat(room).succeedsWithin(AWAIT);
        assertThat(thread.get()).startsWith("courier-producer-callbacks-");
    }

    @Test
    void aWaitNeedsARecordSlotTooAndARecordReleaseWakesIt() throws Exception {
        dispatcher.start();
        BufferPool pool = new BufferPool(2 * BATCH, BATCH, Time.SYSTEM);
        RecordLimit limit = new RecordLimit(1, Time.SYSTEM);
        CapacitySignal signal = new CapacitySignal(pool, limit, dispatcher);
        limit.onReleased(signal::onRoom);
        limit.acquire(0);

        CompletableFuture<Void> room = signal.when(BATCH).toCompletableFuture();
        CompletableFuture<Void> checked = new CompletableFuture<>();
        dispatcher.dispatch(() -> checked.complete(null)); // runs after the check when() queued
        assertThat(checked).succeedsWithin(AWAIT);
        assertThat(room).as("enough bytes, but no record slot").isNotDone();
        limit.release(1);
        assertThat(room).succeedsWithin(AWAIT);
    }

    @Test
    void closeFailsOpenWaitsAndRefusesNewOnes() throws Exception {
        BufferPool pool = new BufferPool(BATCH, BATCH, Time.SYSTEM);
        CapacitySignal signal = new CapacitySignal(pool, null, dispatcher);
        pool.allocate(BATCH, 0);
        CompletableFuture<Void> room = signal.when(BATCH).toCompletableFuture();
        signal.close();
        assertThat(room).isCompletedExceptionally();
        assertThatThrownBy(() -> signal.when(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> signal.when(2 * BATCH)).isInstanceOf(IllegalArgumentException.class);
    }
}
