package dev.courier.benchmarks.perf;

import java.util.List;

/**
 * A producer opened for one measured round ({@link MeasuredRound}): the perf tool's two clients, or the
 * template benchmark's variants. Records are prepared ahead, so that the round's caller-thread allocation
 * is the producer's own. Used by the round's caller thread only.
 */
abstract class MeasuredSession implements AutoCloseable {

    final String clientId;

    MeasuredSession(String clientId) {
        this.clientId = clientId;
    }

    /** Names of the producer's own threads (prefixes), metered along with the caller. */
    abstract List<String> threadNamePrefixes();

    /** Fetches the topic's metadata so that no round starts with a metadata wait. */
    abstract int partitionsFor(String topic);

    /** Builds the records for the round (outside the measured window). */
    abstract void prepare(String topic, byte[][] values);

    /** Sends prepared record {@code index}; {@code ack} is told the outcome. */
    abstract void send(int index, Ack ack);

    @Override
    public abstract void close();
}
