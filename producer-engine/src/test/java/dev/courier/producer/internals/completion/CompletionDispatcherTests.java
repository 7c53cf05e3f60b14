package dev.courier.producer.internals.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CompletionDispatcherTests {

    private final CompletionDispatcher dispatcher = new CompletionDispatcher("test");

    @AfterEach
    void stop() {
        dispatcher.stop(5_000);
    }

    @Test
    void tasksRunInDispatchOrderOnTheCompletionThread() throws InterruptedException {
        dispatcher.start();
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<String> thread = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        for (int i = 0; i < 10_000; i++) {
            int n = i;
            dispatcher.dispatch(() -> ran.add(n));
        }
        dispatcher.dispatch(() -> {
            thread.set(Thread.currentThread().getName());
            done.countDown();
        });

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasSize(10_000).isSorted();
        assertThat(thread.get()).isEqualTo("courier-producer-callbacks-test");
    }

    /** Each hand-off finds the thread asleep, the case the parking flag must never miss. */
    @Test
    void aTaskDispatchedWhileTheThreadSleepsWakesIt() throws InterruptedException {
        dispatcher.start();
        AtomicReference<Thread> completionThread = new AtomicReference<>();
        dispatcher.dispatch(() -> completionThread.set(Thread.currentThread()));
        await().until(() -> completionThread.get() != null);
        for (int i = 0; i < 200; i++) {
            await().pollInterval(Duration.ofMillis(1))
                    .until(() -> completionThread.get().getState() == Thread.State.WAITING);
            CountDownLatch ran = new CountDownLatch(1);
            dispatcher.dispatch(ran::countDown);
            assertThat(ran.await(10, TimeUnit.SECONDS)).as("hand-off %d", i).isTrue();
        }
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheOnesAfterIt() throws InterruptedException {
        dispatcher.start();
        CountDownLatch after = new CountDownLatch(1);
        dispatcher.dispatch(() -> {
            throw new IllegalStateException("boom");
        });
        dispatcher.dispatch(after::countDown);
        assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void stopRunsWhatWasQueuedBeforeIt() {
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 100; i++) {
            dispatcher.dispatch(ran::incrementAndGet);
        }
        dispatcher.start();

        assertThat(dispatcher.stop(10_000)).isTrue();
        assertThat(ran).hasValue(100);
    }

    /** An interrupt left set would make every park return at once: the thread must clear it and sleep. */
    @Test
    void anInterruptedCompletionThreadStillSleepsAndWorks() throws InterruptedException {
        dispatcher.start();
        AtomicReference<Thread> completionThread = new AtomicReference<>();
        dispatcher.dispatch(() -> {
            completionThread.set(Thread.currentThread());
            Thread.currentThread().interrupt();
        });
        // park() never clears the flag, so it is gone only if the thread cleared it before sleeping again.
        await().until(() -> completionThread.get() != null && !completionThread.get().isInterrupted());
        CountDownLatch ran = new CountDownLatch(1);
        dispatcher.dispatch(ran::countDown);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    }
}
