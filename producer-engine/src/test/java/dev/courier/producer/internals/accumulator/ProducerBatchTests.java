package dev.courier.producer.internals.accumulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.Callback;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.record.Compression;
import dev.courier.producer.internals.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ProducerBatchTests {

    private static final long BASE_TIMESTAMP = 1_700_000_000_000L;

    @Test
    void aBatchOfManySmallRecordsCompletesEveryRecordInAppendOrderAcrossSlotGrowth() {
        ByteBuffer buffer = ByteBuffer.allocate(16_384);
        ProducerBatch batch = new ProducerBatch(new TopicPartition("t", 3), buffer,
                new RecordBatchBuilder(buffer, Compression.none()), 0);
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        List<Long> callbackOffsets = new ArrayList<>();
        int appended = 0;
        while (true) {
            CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
            // sizes vary, so the average-size estimate of the next growth is exercised with both shapes
            byte[] value = new byte[appended < 100 ? 40 : 3];
            Callback callback = (metadata, error) -> callbackOffsets.add(metadata.offset());
            if (!batch.tryAppend(BASE_TIMESTAMP + appended, null, value, null, future, callback)) {
                break;
            }
            futures.add(future);
            appended++;
        }
        assertThat(appended).isGreaterThan(1_000);

        batch.close();
        assertThat(batch.succeed(500, -1)).isTrue();
        batch.completeRecords((metadata, error, callback) -> callback.onCompletion(metadata, error));

        for (int i = 0; i < appended; i++) {
            RecordMetadata metadata = futures.get(i).join();
            assertThat(metadata.offset()).isEqualTo(500 + i);
            assertThat(metadata.timestamp()).isEqualTo(BASE_TIMESTAMP + i);
        }
        assertThat(callbackOffsets).hasSize(appended).isSorted().startsWith(500L);
    }

    private static ProducerBatch oneRecordBatch() {
        ByteBuffer buffer = ByteBuffer.allocate(1_024);
        ProducerBatch batch = new ProducerBatch(new TopicPartition("t", 0), buffer,
                new RecordBatchBuilder(buffer, Compression.none()), 0);
        assertThat(batch.tryAppend(BASE_TIMESTAMP, null, new byte[10], null, new CompletableFuture<>(), null)).isTrue();
        batch.close();
        return batch;
    }

    @Test
    void theCompletionMadeOnDemandCompletesWhetherAskedForBeforeOrAfterTheRecordsComplete() {
        ProducerBatch askedBefore = oneRecordBatch();
        CompletableFuture<Void> early = askedBefore.completion();
        assertThat(askedBefore.completion()).isSameAs(early);
        assertThat(early).isNotDone();
        askedBefore.succeed(0, -1);
        askedBefore.completeRecords((metadata, error, callback) -> { });
        assertThat(early).isCompleted();

        ProducerBatch askedAfter = oneRecordBatch();
        askedAfter.succeed(0, -1);
        askedAfter.completeRecords((metadata, error, callback) -> { });
        assertThat(askedAfter.completion()).isCompleted();
        assertThat(askedAfter.finalState()).isEqualTo(ProducerBatch.FinalState.SUCCEEDED);
        assertThat(askedAfter.fail(new IllegalStateException("late"), false)).as("the outcome is decided once").isFalse();
    }

    @Test
    void everyRecordKeepsItsOwnTimestampWhetherCloseToTheFirstOrTooFarForAnIntOfDistance() {
        long[] timestamps = {BASE_TIMESTAMP, BASE_TIMESTAMP - 5, BASE_TIMESTAMP + Integer.MAX_VALUE,
                BASE_TIMESTAMP + Integer.MAX_VALUE + 1L, Long.MIN_VALUE, Long.MAX_VALUE, BASE_TIMESTAMP + 7};
        ByteBuffer buffer = ByteBuffer.allocate(4_096);
        ProducerBatch batch = new ProducerBatch(new TopicPartition("t", 0), buffer,
                new RecordBatchBuilder(buffer, Compression.none()), 0);
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        for (long timestamp : timestamps) {
            CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
            assertThat(batch.tryAppend(timestamp, null, new byte[3], null, future, null)).isTrue();
            futures.add(future);
        }
        batch.close();
        batch.succeed(0, -1);
        batch.completeRecords((metadata, error, callback) -> { });

        assertThat(futures).extracting(future -> future.join().timestamp())
                .containsExactly(timestamps[0], timestamps[1], timestamps[2], timestamps[3], timestamps[4],
                        timestamps[5], timestamps[6]);
    }

    @Test
    void appendResultsAreSharedInstancesWithTheFlagsAskedFor() {
        for (boolean full : new boolean[] {false, true}) {
            for (boolean created : new boolean[] {false, true}) {
                RecordAccumulator.AppendResult result = RecordAccumulator.AppendResult.of(full, created);
                assertThat(result.batchIsFull()).isEqualTo(full);
                assertThat(result.newBatchCreated()).isEqualTo(created);
                assertThat(RecordAccumulator.AppendResult.of(full, created)).isSameAs(result);
            }
        }
    }

    @Test
    void aBatchCountsAsFullOnceAnotherRecordOfTheLatestSizeWouldNotFit() {
        int batchSize = 16_384;
        ByteBuffer buffer = ByteBuffer.allocate(batchSize);
        ProducerBatch batch = new ProducerBatch(new TopicPartition("t", 0), buffer,
                new RecordBatchBuilder(buffer, Compression.none()), 0);
        byte[] value = new byte[1_000];
        int appended = 0;
        while (!batch.isFull(batchSize)) {
            assertThat(batch.tryAppend(BASE_TIMESTAMP, null, value, null, new CompletableFuture<>(), null))
                    .as("record %d fits a batch that is not full yet", appended).isTrue();
            appended++;
        }
        // full before reaching batch.size, and right: the next record of that size is refused
        assertThat(batch.uncompressedSizeInBytes()).isLessThan(batchSize);
        assertThat(batch.tryAppend(BASE_TIMESTAMP, null, value, null, new CompletableFuture<>(), null)).isFalse();
        assertThat(batch.recordCount()).isEqualTo(appended);
        // a smaller record still fits a batch that is full for records of the latest size
        assertThat(batch.tryAppend(BASE_TIMESTAMP, null, new byte[10], null, new CompletableFuture<>(), null)).isTrue();
    }
}
