package dev.courier.producer.internals.sender;

import dev.courier.producer.internals.ProducerRuntime;
import dev.courier.producer.internals.accumulator.PendingRecords;
import dev.courier.producer.internals.config.ProducerSettings;
import dev.courier.producer.internals.metadata.TestMetadata;
import dev.courier.producer.internals.network.ClientRequest;
import dev.courier.producer.internals.network.MockClient;
import dev.courier.producer.internals.partition.RecordPartitioner;
import dev.courier.producer.internals.util.ManualTime;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.protocol.ProduceRequest;
import dev.courier.producer.internals.protocol.ProduceResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The engine assembled for stepping the sender by hand: {@link ProducerRuntime#assemble} with a manual clock
 * and a {@link MockClient}, only the callback thread started, and a cluster installed. The sender-level test
 * classes share it instead of each carrying a copy.
 *
 * @param client  the scripted network, one per harness
 * @param runtime the engine; its sender is stepped with {@code runtime.sender().runOnce()}
 */
record SenderHarness(MockClient client, ProducerRuntime runtime) implements AutoCloseable {

    /**
     * Settings every stepped test starts from (no linger, no idempotence, a fixed 1 s retry backoff), then
     * {@code keysAndValues} over them.
     */
    static Map<String, Object> config(Object... keysAndValues) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", "127.0.0.1:9092");
        config.put("client.id", "stepped");
        config.put("linger.ms", 0);
        config.put("enable.idempotence", false);
        config.put("retry.backoff.ms", 1000);
        config.put("retry.backoff.max.ms", 1000);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return config;
    }

    /**
     * @param onSend sees every request as it is sent (e.g. to decode its batches before their buffers are reused)
     */
    static SenderHarness start(Map<String, Object> config, ManualTime time, PendingRecords pending,
                               TestMetadata cluster, Consumer<ClientRequest> onSend) {
        ProducerSettings settings = ProducerSettings.from(config);
        MockClient[] client = new MockClient[1];
        ProducerRuntime runtime = ProducerRuntime.assemble(settings, time, (s, metadata, t) -> {
            client[0] = new MockClient(t, metadata);
            client[0].maxInFlightPerNode(s.maxInFlightRequestsPerConnection());
            if (onSend != null) {
                client[0].onSend(onSend);
            }
            return client[0];
        }, pending, new RecordPartitioner(null, settings.batchSize(), false), (m, e, cb) -> { }, () -> { });
        runtime.dispatcher().start();
        cluster.applyTo(runtime.metadata(), time.monotonicMs());
        return new SenderHarness(client[0], runtime);
    }

    Sender sender() {
        return runtime.sender();
    }

    /** A produce response giving every partition of the request {@code error} (and {@code baseOffset}). */
    static Function<ClientRequest, Object> answer(Errors error, long baseOffset) {
        return request -> {
            List<ProduceResponse.TopicResponse> topics = new ArrayList<>();
            for (ProduceRequest.TopicData topic : ((ProduceRequest) request.body()).topics()) {
                topics.add(new ProduceResponse.TopicResponse(topic.name(), null, topic.partitions().stream()
                        .map(p -> new ProduceResponse.PartitionResponse(p.partition(), error.code(), baseOffset, -1,
                                -1, List.of(), null, -1, -1)).toList()));
            }
            return new ProduceResponse(topics, 0, List.of());
        };
    }

    /** Appends a record to the accumulator as {@code send} would once the partition is known. */
    CompletableFuture<RecordMetadata> append(TopicPartition tp, String value, long timestampMs) {
        CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
        try {
            runtime.accumulator().append(tp, timestampMs, null, value.getBytes(StandardCharsets.UTF_8), List.of(),
                    future, null, 0);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return future;
    }

    /** Stops the callback thread (the network thread was never started). */
    @Override
    public void close() {
        runtime.dispatcher().stop(5_000);
    }
}
