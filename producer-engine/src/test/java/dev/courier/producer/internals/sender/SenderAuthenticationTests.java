package dev.courier.producer.internals.sender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.RecordMetadata;
import dev.courier.producer.errors.AuthenticationException;
import dev.courier.producer.errors.SslAuthenticationException;
import dev.courier.producer.internals.ProducerRuntime;
import dev.courier.producer.internals.accumulator.PendingRecords;
import dev.courier.producer.internals.config.ProducerSettings;
import dev.courier.producer.internals.metadata.Node;
import dev.courier.producer.internals.metadata.TestMetadata;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.network.ClientRequest;
import dev.courier.producer.internals.network.ClientResponse;
import dev.courier.producer.internals.network.KafkaClient;
import dev.courier.producer.internals.network.MockClient;
import dev.courier.producer.internals.partition.RecordPartitioner;
import dev.courier.producer.internals.protocol.ApiKey;
import dev.courier.producer.internals.protocol.ProduceRequest;
import dev.courier.producer.internals.util.ManualTime;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node whose connection failed to authenticate: the sender fails the batches waiting for it at once, with the
 * client's {@link AuthenticationException}, instead of holding them until delivery.timeout.ms; other nodes carry on.
 * Stepped with a manual clock that never moves, so "at once" needs no timing.
 */
class SenderAuthenticationTests {

    private static final String TOPIC = "t";

    private final ManualTime time = new ManualTime();
    private final Map<Integer, AuthenticationException> refused = new HashMap<>();
    private MockClient mock;
    private ProducerRuntime runtime;

    /** MockClient plus authentication failures scripted per node. */
    private final class RefusingClient implements KafkaClient {
        @Override
        public boolean ready(Node node, long nowMs) {
            return !refused.containsKey(node.id()) && mock.ready(node, nowMs);
        }

        @Override
        public RuntimeException authenticationFailure(Node node) {
            return refused.get(node.id());
        }

        @Override
        public void send(ClientRequest request, long nowMs) {
            mock.send(request, nowMs);
        }

        @Override
        public List<ClientResponse> poll(long timeoutMs, long nowMs) {
            return mock.poll(timeoutMs, nowMs);
        }

        @Override
        public Node leastLoadedNode(long nowMs) {
            return mock.leastLoadedNode(nowMs);
        }

        @Override
        public List<dev.courier.producer.internals.network.NodeConnection> connections() {
            return mock.connections();
        }

        @Override
        public long pollDelayMs(Node node, long nowMs) {
            return mock.pollDelayMs(node, nowMs);
        }

        @Override
        public int inFlightRequestCount() {
            return mock.inFlightRequestCount();
        }

        @Override
        public void wakeup() {
            mock.wakeup();
        }

        @Override
        public void close() {
            mock.close();
        }
    }

    private void start() {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", "127.0.0.1:9092");
        config.put("linger.ms", 0);
        config.put("enable.idempotence", false);
        config.put("delivery.timeout.ms", 120_000);
        ProducerSettings settings = ProducerSettings.from(config);
        runtime = ProducerRuntime.assemble(settings, time, (s, metadata, t) -> {
            mock = new MockClient(t, metadata);
            return new RefusingClient();
        }, new PendingRecords(), new RecordPartitioner(null, settings.batchSize(), false), (m, e, cb) -> { },
                () -> { });
        runtime.dispatcher().start();
        TestMetadata.cluster(3).topic(TOPIC, 6).applyTo(runtime.metadata(), time.monotonicMs());
    }

    @AfterEach
    void stopDispatcher() {
        if (runtime != null) {
            runtime.dispatcher().stop(5_000);
        }
    }

    private CompletableFuture<RecordMetadata> send(int partition, String value) throws InterruptedException {
        CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
        runtime.accumulator().append(new TopicPartition(TOPIC, partition), time.milliseconds(), null,
                value.getBytes(StandardCharsets.UTF_8), List.of(), future, null, 0);
        return future;
    }

    @Test
    void batchesForANodeThatRefusedUsFailAtOnceWhileOtherNodesGetTheirs() throws Exception {
        start();
        SslAuthenticationException failure = new SslAuthenticationException("broker 1 rejected the certificate");
        refused.put(1, failure);
        // partition p is led by broker p % 3
        CompletableFuture<RecordMetadata> toBroker1 = send(1, "a");
        CompletableFuture<RecordMetadata> alsoToBroker1 = send(4, "b");
        CompletableFuture<RecordMetadata> toBroker0 = send(0, "c");

        runtime.sender().runOnce();

        for (CompletableFuture<RecordMetadata> future : List.of(toBroker1, alsoToBroker1)) {
            Throwable error = future.handle((m, e) -> e).get(5, TimeUnit.SECONDS);
            assertThat(error instanceof CompletionException ? error.getCause() : error).isSameAs(failure);
        }
        assertThat(toBroker0).isNotDone();
        Set<Integer> sentPartitions = new HashSet<>();
        for (ClientRequest request : mock.requests(ApiKey.PRODUCE)) {
            assertThat(request.destination()).isEqualTo("0");
            ((ProduceRequest) request.body()).topics().forEach(topic ->
                    topic.partitions().forEach(p -> sentPartitions.add(p.partition())));
        }
        assertThat(sentPartitions).containsExactly(0);
    }

    @Test
    void aNodeThatIsMerelyNotReadyKeepsItsBatches() throws Exception {
        start();
        mock.setReady(1, false);
        CompletableFuture<RecordMetadata> toBroker1 = send(1, "a");

        runtime.sender().runOnce();
        runtime.sender().runOnce();

        assertThat(toBroker1).isNotDone();
        assertThat(mock.requests(ApiKey.PRODUCE)).isEmpty();
    }
}
