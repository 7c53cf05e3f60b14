package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.errors.TimeoutException;
import dev.courier.producer.serialization.StringSerializer;
import dev.courier.test.EmbeddedKafka;
import dev.courier.producer.testing.FaultyProxy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A cluster replaced by another at new addresses, with bootstrap.servers naming a stable entry point (a
 * proxy standing in for a DNS alias or load balancer) that points at the old cluster first and at the new
 * one once the old is gone. The producer learns the old cluster's brokers from the first metadata; when
 * they all stop, a producer with metadata.recovery.strategy=rebootstrap (the default) goes back to
 * bootstrap.servers and delivers to the new cluster, while one with {@code none} keeps trying the old
 * brokers until its records expire.
 */
class RebootstrapIntegrationTests {

    @Test
    void whenEveryKnownBrokerIsGoneTheProducerRebootstrapsAndDeliversToTheNewCluster() throws Exception {
        EmbeddedKafka oldCluster = EmbeddedKafka.start(1);
        EmbeddedKafka newCluster = EmbeddedKafka.start(1);
        FaultyProxy entryPoint = new FaultyProxy("bootstrap-alias", 1);
        try {
            String topic = "orders";
            oldCluster.createTopic(topic, 1, 1);
            newCluster.createTopic(topic, 1, 1);
            entryPoint.upstream(() -> addressOf(oldCluster));
            try (Producer<String, String> rebootstrapping = producer(entryPoint, "rebootstrap");
                 Producer<String, String> stuck = producer(entryPoint, "none")) {
                assertThat(rebootstrapping.send(new ProducerRecord<>(topic, "to-old-1")).get(30, TimeUnit.SECONDS)
                        .offset()).isZero();
                assertThat(stuck.send(new ProducerRecord<>(topic, "to-old-2")).get(30, TimeUnit.SECONDS).offset())
                        .isEqualTo(1);

                entryPoint.upstream(() -> addressOf(newCluster));
                oldCluster.close();

                CompletableFuture<RecordMetadata> delivered = rebootstrapping.send(new ProducerRecord<>(topic, "to-new"));
                CompletableFuture<RecordMetadata> expired = stuck.send(new ProducerRecord<>(topic, "lost"));
                assertThat(delivered.get(60, TimeUnit.SECONDS).offset()).isZero();
                assertThat(expired).failsWithin(Duration.ofSeconds(60));
                assertThat(TestProducers.failureOf(expired)).isInstanceOf(TimeoutException.class);
            }
            assertThat(newCluster.consumeAll(topic, Duration.ofSeconds(30))).extracting(r -> new String(r.value()))
                    .containsExactly("to-new");
        } finally {
            entryPoint.close();
            newCluster.close();
            oldCluster.close();
        }
    }

    private static Producer<String, String> producer(FaultyProxy entryPoint, String strategy) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS, "127.0.0.1:" + entryPoint.port());
        config.put(ProducerConfig.LINGER_MS, 5);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS, 3_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS, 10_000);
        config.put(ProducerConfig.METADATA_RECOVERY_STRATEGY, strategy);
        return new CourierProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static InetSocketAddress addressOf(EmbeddedKafka cluster) {
        String first = cluster.bootstrapServers().split(",")[0];
        int colon = first.lastIndexOf(':');
        return new InetSocketAddress(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)));
    }
}
