package dev.courier.producer.internals.accumulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.courier.producer.errors.BufferExhaustedException;
import dev.courier.producer.errors.ProducerClosedException;
import dev.courier.producer.errors.RecordTooLargeException;
import dev.courier.producer.internals.util.Time;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BufferPoolTests {

    private static final long LONG_BLOCK_MS = 60_000;

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    /** Runs an allocation on another thread; the future fails with the allocation's exception. */
    private CompletableFuture<ByteBuffer> allocateAsync(BufferPool pool, int size) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return pool.allocate(size, LONG_BLOCK_MS);
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
        }, threads);
    }

    @Test
    void aPoolableBufferIsRecycledAfterDeallocation() throws InterruptedException {
        BufferPool pool = new BufferPool(1024, 128, Time.SYSTEM);
        ByteBuffer first = pool.allocate(128, 0);
        first.putInt(42);
        pool.deallocate(first);

        ByteBuffer second = pool.allocate(128, 0);

        assertThat(second).isSameAs(first);
        assertThat(second.position()).isZero();
        assertThat(second.limit()).isEqualTo(128);
    }

    @Test
    void otherSizesAreCountedButNotPooled() throws InterruptedException {
        BufferPool pool = new BufferPool(1024, 128, Time.SYSTEM);
        ByteBuffer buffer = pool.allocate(300, 0);
        assertThat(buffer.capacity()).isEqualTo(300);
        assertThat(pool.availableMemory()).isEqualTo(724);

        pool.deallocate(buffer);

        assertThat(pool.unallocatedMemory()).isEqualTo(1024);
        assertThat(pool.availableMemory()).isEqualTo(1024);
    }

    @Test
    void buffersGivenBackTogetherAreRecycledOrCreditedAndServeABlockedCaller() throws Exception {
        BufferPool pool = new BufferPool(1024, 128, Time.SYSTEM);
        ByteBuffer pooled = pool.allocate(128, 0);
        ByteBuffer odd = pool.allocate(300, 0);
        ByteBuffer rest = pool.allocate(596, 0);
        CompletableFuture<ByteBuffer> blocked = allocateAsync(pool, 428);
        await().until(() -> pool.queued() == 1);

        pool.deallocateAll(new ByteBuffer[] {pooled, odd, null}, 2);

        // 428 bytes needed: the 300 odd bytes plus the recycled 128-byte buffer, dropped from the free list.
        assertThat(blocked.join().capacity()).isEqualTo(428);
        assertThat(pool.queued()).isZero();
        assertThat(pool.availableMemory()).isZero();
        pool.deallocate(rest);
        assertThat(pool.availableMemory()).isEqualTo(596);
    }

    @Test
    void batchSizedBuffersAreDirectWhenAskedAndRecycledAsSuch() throws InterruptedException {
        BufferPool pool = new BufferPool(1024, 128, Time.SYSTEM, true);
        ByteBuffer batch = pool.allocate(128, 0);
        ByteBuffer other = pool.allocate(300, 0);
        assertThat(batch.isDirect()).isTrue();
        assertThat(other.isDirect()).isFalse();

        pool.deallocate(batch);
        assertThat(pool.allocate(128, 0)).isSameAs(batch);
        assertThat(new BufferPool(1024, 128, Time.SYSTEM).allocate(128, 0).isDirect()).isFalse();
    }

    @Test
    void aBufferOfAMultipleOfThePoolableSizeIsRecycledToo() throws InterruptedException {
        BufferPool pool = new BufferPool(1024, 128, Time.SYSTEM);
        ByteBuffer first = pool.allocate(384, 0);
        pool.deallocate(first);

        assertThat(pool.allocate(384, 0)).isSameAs(first);
        assertThat(pool.allocate(256, 0)).isNotSameAs(first);
        assertThat(pool.availableMemory()).isEqualTo(1024 - 384 - 256);
    }

    @Test
    void recycledMultiplesAreDroppedWhenAnotherSizeNeedsTheirMemory() throws InterruptedException {
        BufferPool pool = new BufferPool(1024, 128, Time.SYSTEM);
        ByteBuffer big = pool.allocate(512, 0);
        ByteBuffer other = pool.allocate(512, 0);
        pool.deallocate(big);
        assertThat(pool.availableMemory()).isEqualTo(512);

        ByteBuffer odd = pool.allocate(500, 0);
        assertThat(odd.capacity()).isEqualTo(500);
        assertThat(pool.availableMemory()).isEqualTo(12);
        pool.deallocate(odd);
        pool.deallocate(other);
        assertThat(pool.availableMemory()).isEqualTo(1024);
    }

    @Test
    void multiplesBeyondTheLimitAreNotPooled() {
        BufferPool pool = new BufferPool(1 << 20, 16, Time.SYSTEM);
        assertThat(pool.isPoolable(16 * BufferPool.MAX_POOLED_MULTIPLE)).isTrue();
        assertThat(pool.isPoolable(16 * (BufferPool.MAX_POOLED_MULTIPLE + 1))).isFalse();
        assertThat(pool.isPoolable(24)).isFalse();
    }

    @Test
    void pooledBuffersAreDroppedWhenALargerRequestNeedsTheirMemory() throws InterruptedException {
        BufferPool pool = new BufferPool(256, 64, Time.SYSTEM);
        List<ByteBuffer> buffers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            buffers.add(pool.allocate(64, 0));
        }
        buffers.forEach(pool::deallocate);
        assertThat(pool.unallocatedMemory()).isZero();
        assertThat(pool.availableMemory()).isEqualTo(256);

        ByteBuffer big = pool.allocate(100, 0);

        assertThat(big.capacity()).isEqualTo(100);
        assertThat(pool.availableMemory()).isEqualTo(156);
        assertThat(pool.unallocatedMemory()).isEqualTo(28); // two pooled buffers became 128 non-pooled bytes
    }

    @Test
    void aBufferThatGrewIsCreditedWithItsOriginalSize() throws InterruptedException {
        BufferPool pool = new BufferPool(1024, 128, Time.SYSTEM);
        pool.allocate(128, 0);
        ByteBuffer grown = ByteBuffer.allocate(512);

        pool.deallocate(grown, 128);

        assertThat(pool.availableMemory()).isEqualTo(1024);
        assertThat(pool.unallocatedMemory()).isEqualTo(1024); // not pooled: wrong capacity
    }

    @Test
    void aRequestLargerThanTheWholePoolIsTooLarge() {
        BufferPool pool = new BufferPool(1024, 128, Time.SYSTEM);
        assertThatThrownBy(() -> pool.allocate(1025, LONG_BLOCK_MS))
                .isInstanceOf(RecordTooLargeException.class)
                .hasMessageContaining("1025").hasMessageContaining("buffer.memory (1024)");
        assertThatThrownBy(() -> pool.reserve(1025, LONG_BLOCK_MS)).isInstanceOf(RecordTooLargeException.class);
    }

    @Test
    void waitingLongerThanMaxBlockFailsWithBufferExhausted() throws InterruptedException {
        BufferPool pool = new BufferPool(100, 10, Time.SYSTEM);
        pool.allocate(90, 0);

        assertThatThrownBy(() -> pool.allocate(20, 50))
                .isInstanceOf(BufferExhaustedException.class)
                .hasMessage("Failed to allocate 20 bytes within 50 ms; buffer.memory is 100, available 10");

        assertThat(pool.queued()).isZero();
        assertThat(pool.availableMemory()).isEqualTo(10); // the 10 bytes collected while waiting were given back
    }

    @Test
    void aZeroMaxBlockFailsAtOnceWhenMemoryIsShort() throws InterruptedException {
        BufferPool pool = new BufferPool(100, 10, Time.SYSTEM);
        pool.reserve(100, 0);
        assertThatThrownBy(() -> pool.allocate(1, 0)).isInstanceOf(BufferExhaustedException.class);
        assertThat(pool.availableMemory()).isZero();
    }

    @Test
    void theOldestWaiterCollectsPartialMemoryAndAYoungerSmallRequestWaitsBehindIt() throws InterruptedException {
        BufferPool pool = new BufferPool(100, 10, Time.SYSTEM);
        ByteBuffer sixty = pool.allocate(60, 0);
        ByteBuffer forty = pool.allocate(40, 0);
        CompletableFuture<ByteBuffer> big = allocateAsync(pool, 80);
        await().until(() -> pool.queued() == 1);
        CompletableFuture<ByteBuffer> small = allocateAsync(pool, 10);
        await().until(() -> pool.queued() == 2);

        pool.deallocate(forty);

        // The head waiter takes all 40 bytes although they would satisfy the younger 10-byte request.
        await().until(() -> pool.availableMemory() == 0);
        assertThat(big).isNotDone();
        assertThat(small).isNotDone();
        assertThat(pool.queued()).isEqualTo(2);

        pool.deallocate(sixty);

        assertThat(big.join().capacity()).isEqualTo(80);
        assertThat(small.join().capacity()).isEqualTo(10);
        assertThat(pool.availableMemory()).isEqualTo(10);
        assertThat(pool.queued()).isZero();
    }

    @Test
    void blockedThreadsAreServedInArrivalOrder() throws InterruptedException {
        BufferPool pool = new BufferPool(64, 64, Time.SYSTEM);
        ByteBuffer held = pool.allocate(64, 0);
        List<Integer> servedOrder = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Void>> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int id = i;
            waiters.add(CompletableFuture.runAsync(() -> {
                try {
                    ByteBuffer buffer = pool.allocate(64, LONG_BLOCK_MS);
                    servedOrder.add(id);
                    pool.deallocate(buffer); // hands the memory to the next waiter
                } catch (InterruptedException e) {
                    throw new CompletionException(e);
                }
            }, threads));
            int expectedQueue = i + 1;
            await().until(() -> pool.queued() == expectedQueue);
        }

        pool.deallocate(held);

        CompletableFuture.allOf(waiters.toArray(new CompletableFuture[0])).join();
        assertThat(servedOrder).containsExactly(0, 1, 2, 3, 4);
        assertThat(pool.availableMemory()).isEqualTo(64);
    }

    @Test
    void aNewCallerQueuesBehindExistingWaitersEvenWhenMemoryIsFree() throws InterruptedException {
        BufferPool pool = new BufferPool(100, 10, Time.SYSTEM);
        pool.reserve(100, 0);
        CompletableFuture<ByteBuffer> big = allocateAsync(pool, 100);
        await().until(() -> pool.queued() == 1);
        pool.release(50); // the waiter collects these 50 bytes; nothing is left for newcomers

        await().until(() -> pool.availableMemory() == 0);
        assertThatThrownBy(() -> pool.allocate(10, 0)).isInstanceOf(BufferExhaustedException.class);

        pool.release(50);
        assertThat(big.join().capacity()).isEqualTo(100);
    }

    @Test
    void closeFailsEveryWaiterAndEveryLaterAllocation() throws InterruptedException {
        BufferPool pool = new BufferPool(100, 10, Time.SYSTEM);
        ByteBuffer all = pool.allocate(100, 0);
        List<CompletableFuture<ByteBuffer>> waiters = List.of(allocateAsync(pool, 10), allocateAsync(pool, 50),
                allocateAsync(pool, 100));
        await().until(() -> pool.queued() == 3);

        pool.close();

        for (CompletableFuture<ByteBuffer> waiter : waiters) {
            assertThatThrownBy(waiter::join).hasCauseInstanceOf(ProducerClosedException.class);
        }
        assertThat(pool.queued()).isZero();
        assertThatThrownBy(() -> pool.allocate(1, LONG_BLOCK_MS)).isInstanceOf(ProducerClosedException.class);
        assertThatThrownBy(() -> pool.reserve(1, LONG_BLOCK_MS)).isInstanceOf(ProducerClosedException.class);

        pool.deallocate(all);
        assertThat(pool.availableMemory()).isEqualTo(100);
    }

    @Test
    void reservedBytesAreChargedUntilReleased() throws InterruptedException {
        BufferPool pool = new BufferPool(100, 10, Time.SYSTEM);
        pool.reserve(30, 0);
        pool.reserve(70, 0);
        assertThat(pool.availableMemory()).isZero();
        assertThatThrownBy(() -> pool.reserve(1, 0))
                .isInstanceOf(BufferExhaustedException.class)
                .hasMessage("Failed to allocate 1 bytes without waiting; buffer.memory is 100, available 0");

        pool.release(30);
        assertThat(pool.availableMemory()).isEqualTo(30);
        pool.release(70);
        assertThat(pool.availableMemory()).isEqualTo(100);
        assertThat(pool.unallocatedMemory()).isEqualTo(100);
    }

    @Test
    void aBlockedReservationIsServedByAReturnedBuffer() throws InterruptedException {
        BufferPool pool = new BufferPool(64, 64, Time.SYSTEM);
        ByteBuffer buffer = pool.allocate(64, 0);
        CountDownLatch reserved = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        threads.execute(() -> {
            try {
                pool.reserve(40, LONG_BLOCK_MS);
                reserved.countDown();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        await().until(() -> pool.queued() == 1);

        pool.deallocate(buffer);

        reserved.await();
        assertThat(failure.get()).isNull();
        assertThat(pool.availableMemory()).isEqualTo(24);
        assertThat(pool.unallocatedMemory()).isEqualTo(24);
    }

    @Test
    void givingBackMoreThanWasTakenIsRefused() throws InterruptedException {
        BufferPool pool = new BufferPool(100, 10, Time.SYSTEM);
        ByteBuffer buffer = pool.allocate(10, 0);
        pool.deallocate(buffer);

        assertThatThrownBy(() -> pool.deallocate(buffer)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("given back twice");
        assertThatThrownBy(() -> pool.release(1)).isInstanceOf(IllegalStateException.class);
        assertThat(pool.availableMemory()).isEqualTo(100);
    }

    @Test
    void anInterruptedWaiterGivesBackWhatItHadCollected() throws InterruptedException {
        BufferPool pool = new BufferPool(100, 10, Time.SYSTEM);
        pool.reserve(100, 0);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                pool.allocate(80, LONG_BLOCK_MS);
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        waiter.start();
        await().until(() -> pool.queued() == 1);
        pool.release(40);
        await().until(() -> pool.availableMemory() == 0);

        waiter.interrupt();

        assertThat(outcome.join()).isInstanceOf(InterruptedException.class);
        assertThat(pool.queued()).isZero();
        assertThat(pool.availableMemory()).isEqualTo(40);
    }

    @Test
    void accountingBalancesAfterManyThreadsAllocateAndFreeConcurrently() throws Exception {
        BufferPool pool = new BufferPool(4096, 128, Time.SYSTEM);
        int threadCount = 8;
        int iterations = 3000;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threadCount; t++) {
            workers.add(threads.submit(() -> {
                start.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < iterations; i++) {
                    switch (random.nextInt(3)) {
                        case 0 -> {
                            ByteBuffer b = pool.allocate(128, LONG_BLOCK_MS);
                            assertThat(b.capacity()).isEqualTo(128);
                            pool.deallocate(b);
                        }
                        case 1 -> {
                            int size = 1 + random.nextInt(2000);
                            ByteBuffer b = pool.allocate(size, LONG_BLOCK_MS);
                            assertThat(b.capacity()).isEqualTo(size);
                            pool.deallocate(b);
                        }
                        default -> {
                            int size = 1 + random.nextInt(1000);
                            pool.reserve(size, LONG_BLOCK_MS);
                            pool.release(size);
                        }
                    }
                }
                return null;
            }));
        }

        start.countDown();
        for (Future<?> worker : workers) {
            worker.get();
        }

        assertThat(pool.queued()).isZero();
        assertThat(pool.availableMemory()).isEqualTo(4096);
        assertThat(pool.unallocatedMemory() % 128).isZero(); // the rest sits on the free list in whole buffers
    }

    @Test
    void waitersThatTimeOutLeaveTheQueueAndTheAccountingIntact() throws Exception {
        BufferPool pool = new BufferPool(100, 10, Time.SYSTEM);
        pool.reserve(100, 0);
        List<Future<Throwable>> timedOut = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            timedOut.add(threads.submit(() -> {
                try {
                    pool.allocate(10, 50);
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            }));
        }
        for (Future<Throwable> f : timedOut) {
            assertThat(f.get()).isInstanceOf(BufferExhaustedException.class);
        }
        assertThat(pool.queued()).isZero();
        pool.release(100);
        assertThat(pool.allocate(100, 0).capacity()).isEqualTo(100);
    }
}
