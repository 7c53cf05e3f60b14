package dev.courier.benchmarks.perf;

/**
 * Runs one round of the perf tool: opens a producer of one kind, measures it ({@link MeasuredRound}) and
 * closes it after the meters are read.
 */
final class RoundRunner {

    private final String bootstrapServers;
    private int clientSequence;

    RoundRunner(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    RoundResult run(Cell cell, ClientKind kind, int round, String topic) throws InterruptedException {
        String clientId = "bench-" + kind.name().toLowerCase() + "-" + (++clientSequence);
        try (ClientSession session = ClientSession.open(kind, bootstrapServers, cell.producerSettings(), clientId)) {
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
