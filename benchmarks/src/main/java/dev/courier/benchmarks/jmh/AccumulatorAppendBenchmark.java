package dev.courier.benchmarks.jmh;

import dev.courier.producer.RecordMetadata;
import dev.courier.producer.internals.accumulator.BufferPool;
import dev.courier.producer.internals.accumulator.ProducerBatch;
import dev.courier.producer.internals.accumulator.RecordAccumulator;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.record.Compression;
import dev.courier.producer.internals.util.Time;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A caller's append into Courier's accumulator (deque monitor, batch, record encoding, the record's
 * future), with full batches handed back to the pool as the sender would. kafka-clients' accumulator
 * is internal API with no stable constructor, so this one has no counterpart; the perf tool compares
 * the whole send path instead.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AccumulatorAppendBenchmark {

    @Param({"100", "1024"})
    public int recordSize;

    private RecordAccumulator accumulator;
    private TopicPartition partition;
    private byte[][] values;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        BufferPool pool = new BufferPool(32L * 1024 * 1024, 16_384, Time.SYSTEM);
        accumulator = new RecordAccumulator(16_384, 0, 120_000, Compression.none(), pool);
        partition = new TopicPartition("bench", 0);
        values = BenchmarkData.values(256, recordSize);
    }

    @Benchmark
    public RecordAccumulator.AppendResult append() throws InterruptedException {
        CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
        int i = next++;
        RecordAccumulator.AppendResult result = accumulator.append(partition, 1_700_000_000_000L + i, null,
                values[i & 255], null, future, null, 60_000);
        if (result.batchIsFull()) {
            for (ProducerBatch batch : accumulator.drainAll()) {
                accumulator.deallocate(batch);
                accumulator.completed(batch);
            }
        }
        return result;
    }
}
