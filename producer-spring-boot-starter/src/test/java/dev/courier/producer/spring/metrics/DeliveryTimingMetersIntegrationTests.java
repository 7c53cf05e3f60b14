package dev.courier.producer.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.producer.ProducerRecord;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.spring.ManagedProducer;
import dev.courier.producer.spring.autoconfigure.CourierProducerAutoConfiguration;
import dev.courier.producer.spring.autoconfigure.CourierProducerMetricsAutoConfiguration;
import dev.courier.test.EmbeddedKafka;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** With delivery timings on, every acknowledged batch lands in the delivery timers. */
class DeliveryTimingMetersIntegrationTests {

    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();
    private static final int RECORDS = 20;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CourierProducerAutoConfiguration.class,
                    CourierProducerMetricsAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withPropertyValues("courier.producer.bootstrap-servers=" + kafka.bootstrapServers(),
                    "courier.producer.client-id=timed", "courier.producer.delivery-timings.enabled=true");

    @Test
    @SuppressWarnings("unchecked")
    void theDeliveryTimersCountEveryAcknowledgedBatchAndTheCallbacksSeeTheirRecordsTimings() {
        String topic = kafka.uniqueTopic("timed");
        kafka.createTopic(topic, 2, 1);
        runner.run(context -> {
            ManagedProducer<String, String> producer = context.getBean(ManagedProducer.class);
            List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, "k" + i, "v" + i);
                futures.add(producer.producerFor(record).send(record));
            }
            producer.flush();
            assertThat(futures).allSatisfy(f -> assertThat(f.join().timings()).isNotNull());

            MeterRegistry registry = context.getBean(MeterRegistry.class);
            // The listener runs on the network thread just before the batch's futures complete on the callback thread.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                double batches = registry.get("courier.producer.batch.completed").tag("client.id", "timed")
                        .tag("outcome", "succeeded").counter().count();
                assertThat(batches).isBetween(1.0, (double) RECORDS);
                for (String phase : List.of("linger", "queue", "retry", "wire")) {
                    Timer timer = registry.get("courier.producer.delivery." + phase).tag("client.id", "timed").timer();
                    assertThat(timer.count()).as(phase).isEqualTo((long) batches);
                }
                assertThat(registry.get("courier.producer.delivery.attempts").summary().count())
                        .isEqualTo((long) batches);
            });
            assertThat(registry.get("courier.producer.connection.events").tag("event", "connected").counter()
                    .count()).isPositive();
        });
    }
}
