package dev.courier.producer.internals.accumulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.PartitionInfo;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.internals.metadata.Cluster;
import dev.courier.producer.internals.metadata.Node;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.record.Compression;
import dev.courier.producer.internals.record.CompressionType;
import dev.courier.producer.internals.util.ManualTime;
import dev.courier.producer.internals.util.Time;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/** Compressed batches fill to an estimated compressed batch.size, not to batch.size of raw records. */
class CompressedBatchSizingTests {

    private static final int BATCH_SIZE = 1_024;
    private static final long MEMORY = 64 * 1024;

    private final Node node = new Node(0, "localhost", 9092, null);
    private final TopicPartition tp = new TopicPartition("t", 0);
    private final Cluster cluster = Cluster.of("c", List.of(node), List.of(new Cluster.PartitionState(
            new PartitionInfo("t", 0, 0, List.of(0), List.of(0)), 0)), Map.of(), node);
    private final BufferPool pool = new BufferPool(MEMORY, BATCH_SIZE, Time.SYSTEM);
    private final RecordAccumulator accumulator = new RecordAccumulator(BATCH_SIZE, 0, 60_000,
            Compression.of(CompressionType.LZ4, Compression.LZ4_DEFAULT_LEVEL), pool, 1_048_576, new ManualTime(0));

    private boolean append(String value) throws InterruptedException {
        return accumulator.append(tp, 1_700_000_000_000L, null, value.getBytes(StandardCharsets.UTF_8), List.of(),
                new CompletableFuture<RecordMetadata>(), null, 0).newBatchCreated();
    }

    private static String compressible(int i) {
        return "{\"id\":" + i + ",\"name\":\"" + "courier-".repeat(10) + "\"}";
    }

    private List<ProducerBatch> drainAll() {
        Map<Integer, List<ProducerBatch>> drained = accumulator.drain(cluster, Set.of(node), 1_048_576, 0);
        return drained.getOrDefault(0, List.of());
    }

    @Test
    void aCompressedBatchStartsAtBatchSizeBeforeAnyRatioIsKnown() {
        assertThat(accumulator.batchBufferSize(tp)).isEqualTo(BATCH_SIZE);
    }

    @Test
    void aBatchFillsPastBatchSizeUncompressedOnceTheTopicIsKnownToCompressAndKafkaReadsIt() throws Exception {
        for (int i = 0; i < 200; i++) {
            accumulator.compressionRatios().observe("t", 1000, 200);
        }
        int bufferSize = accumulator.batchBufferSize(tp);
        assertThat(bufferSize).isGreaterThan(2 * BATCH_SIZE);

        List<String> values = new ArrayList<>();
        append(compressible(0));
        values.add(compressible(0));
        for (int i = 1; !append(compressible(i)); i++) {
            values.add(compressible(i));
        }
        List<ProducerBatch> drained = drainAll();
        ProducerBatch first = drained.get(0);
        assertThat(first.uncompressedSizeInBytes()).isGreaterThan(BATCH_SIZE);
        assertThat(first.encodedSizeInBytes()).isLessThanOrEqualTo(BATCH_SIZE);
        assertThat(first.recordCount()).isEqualTo(values.size());

        MemoryRecords records = MemoryRecords.readableRecords(first.encoded());
        List<String> read = new ArrayList<>();
        for (RecordBatch batch : records.batches()) {
            batch.ensureValid();
            assertThat(batch.compressionType()).isEqualTo(org.apache.kafka.common.record.internal.CompressionType.LZ4);
            for (Record record : batch) {
                read.add(new String(Utils.toArray(record.value()), StandardCharsets.UTF_8));
            }
        }
        assertThat(read).isEqualTo(values);
    }

    @Test
    void closingDrainedBatchesTeachesTheEstimatorAndEveryByteReturnsToThePool() throws Exception {
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 30; i++) {
                append(compressible(i));
            }
            for (List<ProducerBatch> drained = drainAll(); !drained.isEmpty(); drained = drainAll()) {
                drained.forEach(accumulator::deallocate);
            }
        }
        assertThat(accumulator.compressionRatios().estimate("t")).isLessThan(1.0f);
        assertThat(pool.availableMemory()).isEqualTo(MEMORY);
    }

    @Test
    void anEnlargedBatchBufferIsAWholeMultipleOfBatchSizeSoThePoolRecyclesIt() {
        for (int i = 0; i < 200; i++) {
            accumulator.compressionRatios().observe("t", 1000, 200);
        }
        int size = accumulator.pooledBatchBufferSize(tp);
        assertThat(size).isGreaterThanOrEqualTo(accumulator.batchBufferSize(tp));
        assertThat(size % BATCH_SIZE).isZero();
        assertThat(pool.isPoolable(size)).isTrue();
    }

    @Test
    void aCompressedBatchBufferNeverExceedsMaxRequestSize() {
        RecordAccumulator small = new RecordAccumulator(BATCH_SIZE, 0, 60_000,
                Compression.of(CompressionType.LZ4, Compression.LZ4_DEFAULT_LEVEL), pool, 8_192, new ManualTime(0));
        for (int i = 0; i < 1000; i++) {
            small.compressionRatios().observe("t", 1000, 10);
        }
        assertThat(small.batchBufferSize(tp)).isLessThanOrEqualTo(8_192);
    }

    @Test
    void theCallerThatOpensTheNextBatchCompressesTheFullOneAndTheSenderOnlyStampsAndFramesIt() throws Exception {
        List<String> values = new ArrayList<>();
        append(compressible(0));
        values.add(compressible(0));
        for (int i = 1; !append(compressible(i)); i++) {
            values.add(compressible(i));
        }
        List<ProducerBatch> queued = accumulator.drainAll(); // takes the batches without encoding them
        assertThat(queued).hasSize(2);
        ProducerBatch full = queued.get(0);

        assertThat(full.isSealed()).as("compressed by the appending thread").isTrue();
        assertThat(queued.get(1).isSealed()).as("still open for appends").isFalse();
        full.setProducerState(7L, (short) 2, 40);
        full.close();

        MemoryRecords records = MemoryRecords.readableRecords(full.encoded());
        RecordBatch batch = records.batches().iterator().next();
        batch.ensureValid();
        assertThat(batch.producerId()).isEqualTo(7L);
        assertThat(batch.producerEpoch()).isEqualTo((short) 2);
        assertThat(batch.baseSequence()).isEqualTo(40);
        List<String> read = new ArrayList<>();
        for (Record record : batch) {
            read.add(StandardCharsets.UTF_8.decode(record.value()).toString());
        }
        assertThat(read).isEqualTo(values);
    }

    @Test
    void aBatchWhoseBufferWentBackToThePoolIsNeverSealed() throws Exception {
        append(compressible(0));
        ProducerBatch batch = accumulator.drainAll().get(0);
        accumulator.deallocate(batch);

        batch.seal();

        assertThat(batch.isSealed()).isFalse();
    }

    @Test
    void fullBatchesOfCompressibleRecordsTeachTheEstimatorSoLaterBatchesGrow() throws Exception {
        int record = 0;
        append(compressible(record++));
        for (int batches = 0; batches < 20; batches++) {
            while (!append(compressible(record++))) {
                // fill the open batch until the next record opens a new one
            }
            for (ProducerBatch full : drainAll()) { // one batch per partition: the full one
                accumulator.deallocate(full);
            }
        }

        assertThat(accumulator.compressionRatios().estimate("t")).isLessThan(1.0f);
        assertThat(accumulator.batchBufferSize(tp)).isGreaterThan(BATCH_SIZE);
    }
}
