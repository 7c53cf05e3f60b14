package dev.courier.producer.internals.sender;

import java.util.concurrent.atomic.LongAdder;

/**
 * Records by outcome, for the one line the producer logs when it closes.
 *
 * <p>"Aborted in flight" means a forced close gave up on records a broker may already have written:
 * their outcome is unknown.
 */
public final class DeliveryCounts {

    final LongAdder acknowledged = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder abortedBeforeSend = new LongAdder();
    final LongAdder abortedInFlight = new LongAdder();

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

    @Override
    public String toString() {
        return "records acknowledged " + acknowledged() + ", failed " + failed() + ", aborted before send "
                + abortedBeforeSend() + ", aborted in flight (outcome unknown) " + abortedInFlight();
    }
}
