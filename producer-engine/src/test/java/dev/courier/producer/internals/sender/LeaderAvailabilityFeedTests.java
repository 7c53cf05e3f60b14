package dev.courier.producer.internals.sender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.RecordMetadata;
import dev.courier.producer.internals.ProducerRuntime;
import dev.courier.producer.internals.accumulator.PendingRecords;
import dev.courier.producer.internals.config.ProducerSettings;
import dev.courier.producer.internals.metadata.TestMetadata;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.network.MockClient;
import dev.courier.producer.internals.partition.LeaderAvailability;
import dev.courier.producer.internals.partition.RecordPartitioner;
import dev.courier.producer.internals.util.ManualTime;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sender tells the adaptive partitioner which leaders have sendable batches and which it drains, for
 * partitioner.availability.timeout.ms. Stepped by hand: topic {@code t}, partition p led by broker p % 3.
 */
class LeaderAvailabilityFeedTests {

    private final ManualTime time = new ManualTime();
    private MockClient client;
    private ProducerRuntime runtime;
    private RecordPartitioner partitioner;

    private void start(Object... keysAndValues) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", "127.0.0.1:9092");
        config.put("linger.ms", 0);
        config.put("enable.idempotence", false);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        ProducerSettings settings = ProducerSettings.from(config);
        partitioner = new RecordPartitioner(null, settings.batchSize(), false);
        runtime = ProducerRuntime.assemble(settings, time, (s, metadata, t) -> {
            client = new MockClient(t, metadata);
            return client;
        }, new PendingRecords(), partitioner, (m, e, cb) -> { }, () -> { });
        runtime.dispatcher().start();
        TestMetadata.cluster(3).topic("t", 6).applyTo(runtime.metadata(), time.monotonicMs());
    }

    @AfterEach
    void stopDispatcher() {
        if (runtime != null) {
            runtime.dispatcher().stop(5_000);
        }
    }

    private void send(int partition) throws InterruptedException {
        runtime.accumulator().append(new TopicPartition("t", partition), time.milliseconds(), null,
                "v".getBytes(StandardCharsets.UTF_8), List.of(), new CompletableFuture<RecordMetadata>(), null, 0);
    }

    @Test
    void aLeaderThatCannotTakeItsSendableBatchesForLongerThanTheTimeoutBecomesUnavailable() throws Exception {
        start("partitioner.availability.timeout.ms", 100);
        LeaderAvailability leaders = partitioner.leaderAvailability();
        client.setReady(1, false);
        send(0);
        send(1);
        runtime.sender().runOnce();
        assertThat(leaders.isAvailable(1)).isTrue();

        time.sleep(101);
        send(0);
        runtime.sender().runOnce();
        assertThat(leaders.isAvailable(1)).isFalse();
        assertThat(leaders.isAvailable(0)).as("drained every time").isTrue();

        client.setReady(1, true);
        runtime.sender().runOnce();
        assertThat(leaders.isAvailable(1)).isTrue();
    }

    @Test
    void withoutATimeoutOrWithoutAdaptivePartitioningNothingIsFed() {
        start();
        assertThat(partitioner.leaderAvailability()).isNull();
        runtime.dispatcher().stop(5_000);
        start("partitioner.adaptive.partitioning.enable", false, "partitioner.availability.timeout.ms", 100);
        assertThat(partitioner.leaderAvailability()).isNull();
    }
}
