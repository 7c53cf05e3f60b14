package dev.courier.benchmarks.jmh;

import dev.courier.producer.internals.record.Compression;
import dev.courier.producer.internals.record.CompressionType;
import dev.courier.producer.internals.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.TimestampType;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Fills one batch (batch.size bytes of records) and closes it: record encoding with varints, the
 * optional compression, header and CRC-32C. Courier's RecordBatchBuilder against kafka-clients'
 * MemoryRecordsBuilder, both writing into a reused heap buffer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BatchEncodingBenchmark {

    @Param({"100", "1024"})
    public int recordSize;

    @Param({"none", "lz4"})
    public String compression;

    private static final int BATCH_SIZE = 16_384;
    private static final org.apache.kafka.common.header.Header[] NO_HEADERS = new org.apache.kafka.common.header.Header[0];

    private byte[][] values;
    private ByteBuffer buffer;
    private Compression courierCompression;
    private org.apache.kafka.common.compress.Compression kafkaCompression;
    private long timestamp;

    @Setup(Level.Trial)
    public void setUp() {
        values = BenchmarkData.values(256, recordSize);
        buffer = ByteBuffer.allocate(BATCH_SIZE);
        courierCompression = Compression.of(CompressionType.valueOf(compression.toUpperCase()));
        kafkaCompression = org.apache.kafka.common.compress.Compression.of(compression).build();
        timestamp = System.currentTimeMillis();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        courierCompression.close();
    }

    @Benchmark
    public ByteBuffer courier() {
        buffer.clear();
        RecordBatchBuilder builder = new RecordBatchBuilder(buffer, courierCompression);
        int i = 0;
        while (builder.tryAppend(timestamp + i, null, values[i & 255], null)) {
            i++;
        }
        return builder.close();
    }

    @Benchmark
    public MemoryRecords kafkaClients() {
        buffer.clear();
        MemoryRecordsBuilder builder = MemoryRecords.builder(buffer, RecordBatch.CURRENT_MAGIC_VALUE, kafkaCompression,
                TimestampType.CREATE_TIME, 0L);
        int i = 0;
        while (builder.hasRoomFor(timestamp + i, null, values[i & 255], NO_HEADERS)) {
            builder.append(timestamp + i, null, values[i & 255], NO_HEADERS);
            i++;
        }
        return builder.build();
    }
}
