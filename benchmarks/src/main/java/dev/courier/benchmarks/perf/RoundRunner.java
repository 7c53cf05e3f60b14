package dev.courier.benchmarks.perf;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one round of the perf tool: opens a producer of one kind, measures it ({@link MeasuredRound}) and
 * closes it after the meters are read.
 */
final class RoundRunner {

    private final String bootstrapServers;
    /** Connection settings both clients get in every cell (TLS), from the broker. */
    private final Map<String, Object> connection;
    private int clientSequence;

    RoundRunner(String bootstrapServers, Map<String, Object> connection) {
        this.bootstrapServers = bootstrapServers;
        this.connection = connection;
    }

    RoundResult run(Cell cell, ClientKind kind, int round, String topic) throws InterruptedException {
        String clientId = "bench-" + kind.name().toLowerCase() + "-" + (++clientSequence);
        Map<String, Object> settings = new LinkedHashMap<>(cell.producerSettings());
        settings.putAll(connection);
        try (ClientSession session = ClientSession.open(kind, bootstrapServers, settings, clientId)) {
            MeasuredRound measured = MeasuredRound.run(session, cell, topic, kind.displayName());
            if (Boolean.getBoolean("bench.batches")) {
                System.out.println("    " + kind.displayName() + ": " + session.batchStats());
            }
            return new RoundResult(cell, kind, round, measured.records(), measured.seconds(),
                    measured.perRecord(measured.cpuNanos()), measured.perRecord(measured.userNanos()),
                    measured.perRecord(measured.allocatedBytes()), measured.gcCount(), measured.latencyMicros());
        }
    }
}
