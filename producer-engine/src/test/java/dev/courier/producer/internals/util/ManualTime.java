package dev.courier.producer.internals.network;

import dev.courier.producer.internals.util.Time;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that only moves when the test says so. */
final class ManualTime implements Time {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);

    @Override
    public long milliseconds() {
        return nanos.get() / 1_000_000L;
    }

    @Override
    public long nanoseconds() {
        return nanos.get();
    }

    void sleep(long ms) {
        nanos.addAndGet(ms * 1_000_000L);
    }
}
