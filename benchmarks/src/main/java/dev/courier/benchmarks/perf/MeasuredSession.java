package dev.courier.benchmarks.perf;

import dev.courier.producer.ProducerRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * Sends every prepared record as fast as it goes (a throughput round), stamping {@code startNanos[i]} as
     * record i is sent; may return before the records complete. By default a loop of {@link #send}; a session
     * whose producer pulls the records (a {@code Flow} subscriber) overrides it.
     */
    void sendAll(long[] startNanos, Ack[] acks) {
        for (int i = 0; i < acks.length; i++) {
            startNanos[i] = System.nanoTime();
            send(i, acks[i]);
        }
    }

    @Override
    public abstract void close();

    /** The threads a Courier producer with this client id runs (network and callbacks), to meter. */
    static List<String> courierThreads(String clientId) {
        return List.of("courier-producer-network-" + clientId, "courier-producer-callbacks-" + clientId);
    }

    /** {@code settings} plus where to connect and the client id: what a session's producer is configured with. */
    static Map<String, Object> clientConfig(Map<String, Object> settings, String bootstrapServers, String clientId) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put("bootstrap.servers", bootstrapServers);
        config.put("client.id", clientId);
        return config;
    }

    /** A round's records for Courier, one per value, without a key. */
    @SuppressWarnings("unchecked")
    static ProducerRecord<byte[], byte[]>[] courierRecords(String topic, byte[][] values) {
        ProducerRecord<byte[], byte[]>[] records = new ProducerRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new ProducerRecord<>(topic, values[i]);
        }
        return records;
    }
}
