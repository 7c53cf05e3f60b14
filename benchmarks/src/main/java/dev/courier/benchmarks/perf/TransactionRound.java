package dev.courier.benchmarks.perf;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One measured round of the transactions mode: {@code transactions} transactions of {@code perTransaction}
 * records each, back to back (begin, send every record, commit), with the caller's and the producer's threads
 * metered from the first begin to the last commit. The latency is per transaction (begin to commit returned).
 */
final class TransactionRound {

    private static final long TIMEOUT_MINUTES = 5;
    private static final long MAX_TRANSACTION_MICROS = TimeUnit.MINUTES.toMicros(5);

    private TransactionRound() {
    }

    /**
     * Runs the round and returns it as a {@link RoundResult}: records over seconds, CPU and allocation per record,
     * and the transaction-latency histogram.
     *
     * @throws IllegalStateException when a record fails, or a commit returns before its records completed
     */
    static RoundResult run(TransactionSession session, Cell cell, ClientKind kind, int round, String topic,
                           int transactions) throws InterruptedException {
        int perTransaction = cell.records() / transactions;
        int records = perTransaction * transactions;
        RoundRecorder recorder = new RoundRecorder(records);
        Ack[] acks = new Ack[records];
        for (int i = 0; i < records; i++) {
            acks[i] = new Ack(recorder, i);
        }
        Histogram transactionMicros = new Histogram(MAX_TRANSACTION_MICROS, 3);
        session.partitionsFor(topic);
        session.prepare(topic, Payloads.forRound(cell.recordSize(), records));
        System.gc();
        ThreadMeter meter = ThreadMeter.forCallerAnd(session.threadNamePrefixes());
        long[] startNanos = recorder.startNanos;
        meter.start();
        long start = System.nanoTime();
        int index = 0;
        for (int t = 0; t < transactions; t++) {
            long began = System.nanoTime();
            session.beginTransaction();
            for (int i = 0; i < perTransaction; i++, index++) {
                startNanos[index] = System.nanoTime();
                session.send(index, acks[index]);
            }
            session.commitTransaction();
            transactionMicros.recordValue(Math.min((System.nanoTime() - began) / 1000, MAX_TRANSACTION_MICROS));
        }
        long end = System.nanoTime();
        // Both clients complete a transaction's futures before commit returns; the callbacks may trail a little.
        if (!recorder.await(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            throw new IllegalStateException(kind.displayName() + ": only " + recorder.completedCount() + " of "
                    + records + " records completed after the last commit");
        }
        meter.stop();
        if (recorder.firstError() != null) {
            throw new IllegalStateException(kind.displayName() + ": records failed in " + cell.label(),
                    recorder.firstError());
        }
        double seconds = (Math.max(end, recorder.lastCompletionNanos()) - start) / 1e9;
        return new RoundResult(cell, kind, round, records, seconds, (double) meter.cpuNanos() / records,
                (double) meter.userNanos() / records, (double) meter.allocatedBytes() / records, meter.gcCountDelta(),
                transactionMicros);
    }
}
