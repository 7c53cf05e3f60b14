package dev.courier.benchmarks.jmh;

import dev.courier.producer.internals.record.Compression;
import dev.courier.producer.internals.record.CompressionType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.ByteBufferOutputStream;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * lz4 (Kafka's framed format, level 9) of 16 KiB of JSON-like records: Courier's Compression against
 * kafka-clients' Lz4 output stream.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Lz4Benchmark {

    private byte[] input;
    private Compression courier;
    private org.apache.kafka.common.compress.Compression kafka;
    private ByteBuffer output;

    @Setup(Level.Trial)
    public void setUp() {
        ByteBuffer records = ByteBuffer.allocate(16_384);
        for (byte[] value : BenchmarkData.values(160, 100)) {
            records.put(value);
        }
        input = records.array();
        courier = Compression.of(CompressionType.LZ4);
        kafka = org.apache.kafka.common.compress.Compression.lz4().build();
        output = ByteBuffer.allocate(32_768);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        courier.close();
    }

    @Benchmark
    public int courier() {
        return courier.compress(ByteBuffer.wrap(input)).remaining();
    }

    @Benchmark
    public int kafkaClients() throws IOException {
        output.clear();
        ByteBufferOutputStream stream = new ByteBufferOutputStream(output);
        try (OutputStream lz4 = kafka.wrapForOutput(stream, RecordBatch.CURRENT_MAGIC_VALUE)) {
            lz4.write(input, 0, input.length);
        }
        return stream.position();
    }
}
