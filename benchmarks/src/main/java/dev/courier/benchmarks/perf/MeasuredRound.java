package dev.courier.benchmarks.perf;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * What one round measured: the session's records sent (as fast as possible, or on the cell's fixed
 * schedule) and all acknowledged, with the caller's and the producer's threads metered over exactly that
 * window. Shared by the perf tool and the template benchmark, so both measure the same way.
 */
record MeasuredRound(int records, double seconds, long cpuNanos, long userNanos, long allocatedBytes, long gcCount,
                     Histogram latencyMicros, long callerCpuNanos) {

    private static final long TIMEOUT_MINUTES = 5;

    /**
     * Prepares {@code cell}'s records for {@code topic} in {@code session}, sends them, waits for every
     * acknowledgement and reads the meters.
     *
     * @param what names the session in failures
     * @throws IllegalStateException when records fail or do not complete within five minutes
     */
    static MeasuredRound run(MeasuredSession session, Cell cell, String topic, String what)
            throws InterruptedException {
        int records = cell.records();
        RoundRecorder recorder = new RoundRecorder(records);
        Ack[] acks = new Ack[records];
        for (int i = 0; i < records; i++) {
            acks[i] = new Ack(recorder, i);
        }
        session.partitionsFor(topic);
        session.prepare(topic, Payloads.forRound(cell.recordSize(), records));
        System.gc();
        ThreadMeter meter = ThreadMeter.forCallerAnd(session.threadNamePrefixes());
        ProcCounters counters = Boolean.getBoolean("bench.counts") ? ProcCounters.start() : null;
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
            session.sendAll(startNanos, acks);
        }
        if (!recorder.await(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            throw new IllegalStateException(what + ": only " + recorder.completedCount() + " of " + records
                    + " records completed within " + TIMEOUT_MINUTES + " minutes");
        }
        meter.stop();
        if (Boolean.getBoolean("bench.threads")) {
            System.out.print(meter.perThread());
        }
        if (counters != null) {
            System.out.print(counters.perRecord(records));
        }
        if (recorder.firstError() != null) {
            throw new IllegalStateException(what + ": records failed in " + cell.label(), recorder.firstError());
        }
        return new MeasuredRound(records, (recorder.lastCompletionNanos() - start) / 1e9, meter.cpuNanos(),
                meter.userNanos(), meter.allocatedBytes(), meter.gcCountDelta(), recorder.histogram(),
                meter.callerCpuNanos());
    }

    double perRecord(long total) {
        return (double) total / records;
    }
}
