package dev.courier.producer.internals.util;

import java.util.concurrent.atomic.AtomicLong;

/** A clock that only moves when the test says so. */
public final class ManualTime implements Time {

    private final AtomicLong nanos;

    public ManualTime() {
        this(1_000_000L);
    }

    public ManualTime(long startMs) {
        nanos = new AtomicLong(startMs * 1_000_000L);
    }

    @Override
    public long milliseconds() {
        return nanos.get() / 1_000_000L;
    }

    @Override
    public long nanoseconds() {
        return nanos.get();
    }

    public void sleep(long ms) {
        nanos.addAndGet(ms * 1_000_000L);
    }

    /** Moves the clock to {@code ms} (monotonic and wall-clock alike). */
    public void setMs(long ms) {
        nanos.set(ms * 1_000_000L);
    }
}
