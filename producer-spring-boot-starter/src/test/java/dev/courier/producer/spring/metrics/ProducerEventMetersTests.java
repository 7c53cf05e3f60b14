package dev.courier.producer.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.DeliveryTimings;
import dev.courier.producer.ProducerEventListener.BatchCompleted;
import dev.courier.producer.ProducerEventListener.BatchSplit;
import dev.courier.producer.ProducerEventListener.Connection;
import dev.courier.producer.ProducerEventListener.EpochBump;
import dev.courier.producer.ProducerEventListener.Outcome;
import dev.courier.producer.ProducerEventListener.Retry;
import dev.courier.producer.TopicPartition;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each engine event moves its meter, and delivery timings land in one timer per phase. */
class ProducerEventMetersTests {

    private static final TopicPartition TP = new TopicPartition("t", 0);

    private final MeterRegistry registry = new SimpleMeterRegistry();

    private double count(String name, String... tags) {
        return registry.get("courier.producer." + name).tag("client.id", "c").tags(tags).counter().count();
    }

    @Test
    void eventsAreCountedUnderTheirMeters() {
        ProducerEventMeters meters = new ProducerEventMeters(registry, Tags.of("client.id", "c"), false);
        Connection node = new Connection(1, "h:9092");
        meters.onConnected(node);
        meters.onDisconnected(node);
        meters.onConnectionFailed(node);
        meters.onConnectionFailed(node);
        meters.onAuthenticationFailed(node, "bad password");
        meters.onRetry(new Retry(TP, 3, 1, "NOT_LEADER_OR_FOLLOWER", 100));
        meters.onEpochBump(new EpochBump(7, (short) 0, (short) 1, "UNKNOWN_PRODUCER_ID"));
        meters.onBatchSplit(new BatchSplit(TP, 10, 2));
        meters.onBatchCompleted(new BatchCompleted(TP, 3, 100, 1, Outcome.SUCCEEDED, null, null));
        meters.onBatchCompleted(new BatchCompleted(TP, 3, 100, 1, Outcome.FAILED, new RuntimeException(), null));
        meters.onBatchCompleted(new BatchCompleted(TP, 3, 100, 1, Outcome.FAILED, new RuntimeException(), null));

        assertThat(count("connection.events", "event", "connected")).isEqualTo(1);
        assertThat(count("connection.events", "event", "disconnected")).isEqualTo(1);
        assertThat(count("connection.events", "event", "failed")).isEqualTo(2);
        assertThat(count("connection.events", "event", "authentication-failed")).isEqualTo(1);
        assertThat(count("record.retry.total")).isEqualTo(1);
        assertThat(count("epoch.bump.total")).isEqualTo(1);
        assertThat(count("batch.split.total")).isEqualTo(1);
        assertThat(count("batch.completed", "outcome", "succeeded")).isEqualTo(1);
        assertThat(count("batch.completed", "outcome", "failed")).isEqualTo(2);
        assertThat(registry.find("courier.producer.delivery.linger").timer()).as("timings are off").isNull();
    }

    @Test
    void theTimingsOfAcknowledgedBatchesAreRecordedPerPhase() {
        ProducerEventMeters meters = new ProducerEventMeters(registry, Tags.of("client.id", "c"), true);
        meters.onBatchCompleted(new BatchCompleted(TP, 2, 100, 2, Outcome.SUCCEEDED, null,
                new DeliveryTimings(0, 5, 7, 1000, 3, 2)));
        meters.onBatchCompleted(new BatchCompleted(TP, 2, 100, 1, Outcome.SUCCEEDED, null,
                new DeliveryTimings(40, 1, 0, 0, 2, 1)));

        assertThat(totalMs("linger")).isEqualTo(6);
        assertThat(totalMs("queue")).isEqualTo(7);
        assertThat(totalMs("retry")).isEqualTo(1000);
        assertThat(totalMs("wire")).isEqualTo(5);
        assertThat(registry.get("courier.producer.delivery.wire").timer().count()).isEqualTo(2);
        assertThat(registry.get("courier.producer.delivery.metadata.wait").timer().count())
                .as("only batches whose records waited").isEqualTo(1);
        assertThat(totalMs("metadata.wait")).isEqualTo(40);
        assertThat(registry.get("courier.producer.delivery.attempts").summary().totalAmount()).isEqualTo(3);
    }

    private double totalMs(String phase) {
        return registry.get("courier.producer.delivery." + phase).tag("client.id", "c").timer()
                .totalTime(TimeUnit.MILLISECONDS);
    }
}
