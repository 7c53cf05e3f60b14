package dev.courier.producer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures, for the security failure tests, the time from the first send to the first future that failed, and logs
 * it in one INFO line ("time to first failure"). Informational only: no test asserts on it. The failure instant is
 * taken in the future's own completion callback, not when the test gets round to looking.
 *
 * <p>Start one right before the first send; thread-safe.
 */
final class FirstFailureClock {

    private static final Logger log = LoggerFactory.getLogger(FirstFailureClock.class);

    private final String failureCase;
    private final long startNs = System.nanoTime();
    private final AtomicLong firstFailureNs = new AtomicLong(Long.MIN_VALUE);

    private FirstFailureClock(String failureCase) {
        this.failureCase = failureCase;
    }

    /** Starts timing {@code failureCase} now. */
    static FirstFailureClock start(String failureCase) {
        return new FirstFailureClock(failureCase);
    }

    /** Watches {@code future}: its failure, if it is the first, stops the clock. Returns the same future. */
    <T> CompletableFuture<T> watch(CompletableFuture<T> future) {
        future.whenComplete((value, failure) -> {
            if (failure != null) {
                firstFailureNs.compareAndSet(Long.MIN_VALUE, System.nanoTime());
            }
        });
        return future;
    }

    /** Stops the clock now: for a failure that is thrown rather than delivered in a future. */
    void failedNow() {
        firstFailureNs.compareAndSet(Long.MIN_VALUE, System.nanoTime());
    }

    /** Logs the time to the first failure; call after the test has seen the failures it expects. */
    void log() {
        long failedAt = firstFailureNs.get();
        if (failedAt == Long.MIN_VALUE) {
            log.info("time to first failure [{}]: no failure seen", failureCase);
        } else {
            log.info("time to first failure [{}]: {} ms", failureCase, TimeUnit.NANOSECONDS.toMillis(failedAt - startNs));
        }
    }
}
