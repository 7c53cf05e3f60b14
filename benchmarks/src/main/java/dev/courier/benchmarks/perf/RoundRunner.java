package dev.courier.benchmarks.perf;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one round: opens a producer of one kind, warms its metadata, sends the cell's records (as fast
 * as possible, or on a fixed schedule), waits for every acknowledgement, and meters the producer's
 * threads over exactly that window. The producer is closed after the meters are read.
 */
final class RoundRunner {

    private static final long ROUND_TIMEOUT_MINUTES = 5;

    private final String bootstrapServers;
    private int clientSequence;

    RoundRunner(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    RoundResult run(Cell cell, ClientKind kind, int round, String topic) throws InterruptedException {
        int records = cell.records();
        byte[][] values = Payloads.forRound(cell.recordSize(), records);
        RoundRecorder recorder = new RoundRecorder(records);
        Ack[] acks = new Ack[records];
        for (int i = 0; i < records; i++) {
            acks[i] = new Ack(recorder, i);
        }
        String clientId = "bench-" + kind.name().toLowerCase() + "-" + (++clientSequence);
        try (ClientSession session = ClientSession.open(kind, bootstrapServers, cell.producerSettings(), clientId)) {
            session.partitionsFor(topic);
            session.prepare(topic, values);
            values = null;
            System.gc();
            ThreadMeter meter = ThreadMeter.forCallerAnd(session.threadNamePrefixes());
            long[] startNanos = recorder.startNanos;
            meter.start();
            long start = System.nanoTime();
            if (cell.fixedRate()) {
                meter.timeCallerPerSend();
                long periodNanos = TimeUnit.SECONDS.toNanos(1) / cell.ratePerSecond();
                for (int i = 0; i < records; i++) {
                    long intended = start + i * periodNanos;
                    long wait;
                    while ((wait = intended - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    startNanos[i] = intended; // latency from the intended time: stalls are not hidden
                    long cpuBefore = ThreadMeter.callerCpuNow();
                    session.send(i, acks[i]);
                    meter.addCallerCpu(ThreadMeter.callerCpuNow() - cpuBefore);
                }
            } else {
                for (int i = 0; i < records; i++) {
                    startNanos[i] = System.nanoTime();
                    session.send(i, acks[i]);
                }
            }
            if (!recorder.await(ROUND_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                throw new IllegalStateException(kind.displayName() + ": only " + recorder.completedCount() + " of "
                        + records + " records completed within " + ROUND_TIMEOUT_MINUTES + " minutes");
            }
            meter.stop();
            if (Boolean.getBoolean("bench.threads")) {
                System.out.print(meter.perThread());
            }
            if (Boolean.getBoolean("bench.batches")) {
                System.out.println("    " + kind.displayName() + ": " + session.batchStats());
            }
            if (recorder.firstError() != null) {
                throw new IllegalStateException(kind.displayName() + ": records failed in " + cell.label(),
                        recorder.firstError());
            }
            double seconds = (recorder.lastCompletionNanos() - start) / 1e9;
            return new RoundResult(cell, kind, round, records, seconds, (double) meter.cpuNanos() / records,
                    (double) meter.userNanos() / records,
                    (double) meter.allocatedBytes() / records, meter.gcCountDelta(), recorder.histogram());
        }
    }
}
