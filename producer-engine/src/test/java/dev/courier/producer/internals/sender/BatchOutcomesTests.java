package dev.courier.producer.internals.sender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.PartitionInfo;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.internals.accumulator.BufferPool;
import dev.courier.producer.internals.accumulator.ProducerBatch;
import dev.courier.producer.internals.accumulator.RecordAccumulator;
import dev.courier.producer.internals.completion.CompletionDispatcher;
import dev.courier.producer.internals.metadata.Cluster;
import dev.courier.producer.internals.metadata.Node;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.metrics.DeliveryCounts;
import dev.courier.producer.internals.metrics.ProducerMetrics;
import dev.courier.producer.internals.record.Compression;
import dev.courier.producer.internals.util.ManualTime;
import dev.courier.producer.internals.util.Time;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchOutcomesTests {

    private final Node node = new Node(0, "localhost", 9092, null);
    private final Cluster cluster = Cluster.of("c", List.of(node), List.of(partition(0), partition(1), partition(2)),
            Map.of(), node);
    private final BufferPool pool = new BufferPool(1024 * 1024, 16_384, Time.SYSTEM);
    private final RecordAccumulator accumulator = new RecordAccumulator(16_384, 0, 120_000, Compression.none(), pool,
            1_048_576, new ManualTime(0));
    private final CompletionDispatcher dispatcher = new CompletionDispatcher("test");
    private final List<String> completedOn = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> offsets = Collections.synchronizedList(new ArrayList<>());
    private final DeliveryCounts counts = new DeliveryCounts();
    private final BatchOutcomes outcomes = new BatchOutcomes(accumulator, dispatcher,
            (metadata, exception, callback) -> {
                completedOn.add(Thread.currentThread().getName());
                offsets.add(metadata.offset());
            },
            new ProducerMetrics(Time.SYSTEM, counts, () -> 0, () -> 0, () -> 0, () -> 0), counts);

    private static Cluster.PartitionState partition(int p) {
        return new Cluster.PartitionState(new PartitionInfo("t", p, 0, List.of(0), List.of(0)), 0);
    }

    @AfterEach
    void stopDispatcher() {
        dispatcher.stop(5_000);
    }

    private List<ProducerBatch> oneBatchPerPartition() throws InterruptedException {
        for (int p = 0; p < 3; p++) {
            accumulator.append(new TopicPartition("t", p), 1L, null, "v".getBytes(StandardCharsets.UTF_8), List.of(),
                    new CompletableFuture<RecordMetadata>(), null, 0);
        }
        List<ProducerBatch> drained = new ArrayList<>(accumulator.drain(cluster, Set.of(node), 1_000_000, 0)
                .getOrDefault(0, List.of()));
        drained.sort((a, b) -> Integer.compare(a.topicPartition().partition(), b.topicPartition().partition()));
        return drained;
    }

    @Test
    void batchesFinishedDuringAResponseAreHandedOverTogetherOnReleaseInOrder() throws Exception {
        dispatcher.start();
        List<ProducerBatch> batches = oneBatchPerPartition();

        outcomes.holdCompletions();
        for (int i = 0; i < batches.size(); i++) {
            outcomes.succeed(batches.get(i), 100L * i, -1);
        }
        assertThat(batches).allSatisfy(batch -> assertThat(batch.isDone()).isTrue());
        assertThat(batches).noneSatisfy(batch -> assertThat(batch.completion()).isDone());

        outcomes.releaseCompletions();
        CompletableFuture.allOf(batches.stream().map(ProducerBatch::completion).toArray(CompletableFuture[]::new))
                .get(10, TimeUnit.SECONDS);
        assertThat(offsets).containsExactly(0L, 100L, 200L);
        assertThat(completedOn).allSatisfy(name -> assertThat(name).startsWith("courier-producer-callbacks-"));
        assertThat(pool.availableMemory()).isEqualTo(1024 * 1024);
    }

    @Test
    void withoutHoldingEachBatchIsHandedOverAtOnce() throws Exception {
        dispatcher.start();
        ProducerBatch batch = oneBatchPerPartition().get(0);

        outcomes.succeed(batch, 7, -1);

        batch.completion().get(10, TimeUnit.SECONDS);
        assertThat(offsets).containsExactly(7L);
    }
}
