package dev.courier.producer.internals.util;

/** The clock the engine reads; tests inject a manual one so they never sleep. */
public interface Time {

    Time SYSTEM = new Time() {
        @Override
        public long milliseconds() {
            return System.currentTimeMillis();
        }

        @Override
        public long nanoseconds() {
            return System.nanoTime();
        }
    };

    /** Wall-clock milliseconds since the epoch (record timestamps). */
    long milliseconds();

    /** Monotonic nanoseconds (durations, timeouts). */
    long nanoseconds();

    /** Monotonic milliseconds, for timeouts and backoffs. */
    default long monotonicMs() {
        return nanoseconds() / 1_000_000L;
    }
}
