package dev.courier.benchmarks.jmh;

import dev.courier.producer.internals.partition.Murmur2;
import dev.courier.producer.internals.record.ByteUtils;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.apache.kafka.common.utils.internals.Crc32C;
import org.apache.kafka.common.utils.Utils;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hot path's primitives, Courier against kafka-clients: varint writes (1024 values of mixed
 * widths), CRC-32C of a 16 KiB batch (Courier uses the JDK's intrinsic CRC32C directly), and murmur2
 * of 1024 keys of 16 bytes (the keyed partitioner).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PrimitivesBenchmark {

    private int[] ints;
    private long[] longs;
    private ByteBuffer varints;
    private ByteBuffer batch;
    private byte[][] keys;

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(3);
        ints = new int[1024];
        longs = new long[1024];
        for (int i = 0; i < ints.length; i++) {
            // offset deltas and sizes are small; timestamps deltas mostly small, sometimes large
            ints[i] = random.nextInt(4) == 0 ? random.nextInt() : random.nextInt(2000);
            longs[i] = random.nextInt(8) == 0 ? random.nextLong() : random.nextInt(100);
        }
        varints = ByteBuffer.allocate(1024 * 15);
        byte[] bytes = new byte[16_384];
        random.nextBytes(bytes);
        batch = ByteBuffer.wrap(bytes);
        keys = BenchmarkData.keys(1024, 16);
    }

    @Benchmark
    public int courierVarints() {
        ByteBuffer out = varints;
        out.clear();
        for (int i = 0; i < ints.length; i++) {
            ByteUtils.writeVarint(ints[i], out);
            ByteUtils.writeVarlong(longs[i], out);
        }
        return out.position();
    }

    @Benchmark
    public int kafkaClientsVarints() {
        ByteBuffer out = varints;
        out.clear();
        for (int i = 0; i < ints.length; i++) {
            org.apache.kafka.common.utils.internals.ByteUtils.writeVarint(ints[i], out);
            org.apache.kafka.common.utils.internals.ByteUtils.writeVarlong(longs[i], out);
        }
        return out.position();
    }

    /** What RecordBatchBuilder does: the JDK's CRC32C over a ByteBuffer view, no copy. */
    @Benchmark
    public long courierCrc32c() {
        CRC32C crc = new CRC32C();
        ByteBuffer covered = batch.duplicate();
        covered.position(21);
        crc.update(covered);
        return crc.getValue();
    }

    @Benchmark
    public long kafkaClientsCrc32c() {
        return Crc32C.compute(batch, 21, batch.limit() - 21);
    }

    @Benchmark
    public int courierMurmur2() {
        int h = 0;
        for (byte[] key : keys) {
            h += Murmur2.hash(key);
        }
        return h;
    }

    @Benchmark
    public int kafkaClientsMurmur2() {
        int h = 0;
        for (byte[] key : keys) {
            h += Utils.murmur2(key);
        }
        return h;
    }
}
