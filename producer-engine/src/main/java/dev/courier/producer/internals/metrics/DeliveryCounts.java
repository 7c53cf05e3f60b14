package dev.courier.producer.internals.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * Records by outcome: the one set of counters behind {@code metrics()} ({@code record-send-total},
 * {@code record-error-total}), {@code status()} and the line the producer logs when it closes. Every
 * record's ending is counted here exactly once, by the outcome path ({@code BatchOutcomes}).
 *
 * <p>"Aborted in flight" means a forced close gave up on records a broker may already have written:
 * their outcome is unknown. "Aborted before send" also counts what {@code purge()} failed; {@link #purged()}
 * says how many of those it was.
 */
public final class DeliveryCounts {

    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder abortedBeforeSend = new LongAdder();
    private final LongAdder abortedInFlight = new LongAdder();
    private final LongAdder purged = new LongAdder();

    public void addAcknowledged(int records) {
        acknowledged.add(records);
    }

    public void addFailed(int records) {
        failed.add(records);
    }

    public void addAborted(int records, boolean inFlight) {
        (inFlight ? abortedInFlight : abortedBeforeSend).add(records);
    }

    /** Records {@code purge()} failed: counted as aborted before send, and here. */
    public void addPurged(int records) {
        abortedBeforeSend.add(records);
        purged.add(records);
    }

    /** Of {@link #abortedBeforeSend()}, the records {@code purge()} failed. */
    public long purged() {
        return purged.sum();
    }

    public long acknowledged() {
        return acknowledged.sum();
    }

    public long failed() {
        return failed.sum();
    }

    public long abortedBeforeSend() {
        return abortedBeforeSend.sum();
    }

    public long abortedInFlight() {
        return abortedInFlight.sum();
    }

    /** Records that will never be acknowledged: failed plus both kinds of aborted. */
    public long notDelivered() {
        return failed() + abortedBeforeSend() + abortedInFlight();
    }

    @Override
    public String toString() {
        return "records acknowledged " + acknowledged() + ", failed " + failed() + ", aborted before send "
                + abortedBeforeSend() + " (purged " + purged() + "), aborted in flight (outcome unknown) " + abortedInFlight();
    }
}
