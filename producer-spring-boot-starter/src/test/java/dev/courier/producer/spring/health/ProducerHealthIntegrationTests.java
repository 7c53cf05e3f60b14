package dev.courier.producer.spring.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.producer.spring.ProducerTemplate;
import dev.courier.producer.spring.autoconfigure.CourierProducerAutoConfiguration;
import dev.courier.producer.spring.autoconfigure.CourierProducerHealthAutoConfiguration;
import dev.courier.test.EmbeddedKafka;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The health indicator against a broker that goes away and comes back: DOWN, naming the broker, within a
 * reconnect backoff of the loss (not after metadata.max.age.ms, left at its 5 minute default here), and UP again
 * after the restart, without another send. A private single-broker cluster, since the broker is stopped (it
 * comes back on the same port).
 */
class ProducerHealthIntegrationTests {

    private static final int BROKER = 0;
    /** Generous bounds for a loaded 2-core machine; the signal itself comes within about a second. */
    private static final Duration DOWN_WITHIN = Duration.ofSeconds(20);
    private static final Duration UP_WITHIN = Duration.ofSeconds(60);

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startCluster() {
        kafka = EmbeddedKafka.start(1);
    }

    @AfterAll
    static void stopCluster() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void isDownNamingTheBrokerSoonAfterItStopsAndUpAgainOnceItIsBack() {
        String topic = kafka.uniqueTopic("health");
        kafka.createTopic(topic, 1, 1);
        String address = kafka.bootstrapServers();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CourierProducerAutoConfiguration.class,
                        CourierProducerHealthAutoConfiguration.class))
                .withPropertyValues("courier.producer.bootstrap-servers=" + address)
                .run(context -> {
                    ProducerHealthIndicator health = context.getBean(ProducerHealthIndicator.class);
                    @SuppressWarnings("unchecked")
                    ProducerTemplate<String, String> template = context.getBean(ProducerTemplate.class);
                    template.send(topic, "before").get(UP_WITHIN.toSeconds(), TimeUnit.SECONDS);
                    assertThat(health.health().getStatus()).isEqualTo(Status.UP);

                    kafka.stopBroker(BROKER);
                    await().atMost(DOWN_WITHIN).untilAsserted(() -> {
                        Health down = health.health();
                        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                        assertThat(down.getDetails()).containsEntry("unreachable", List.of(address))
                                .containsEntry("reason", "no broker reachable: every connection failed");
                    });

                    kafka.startBroker(BROKER);
                    // Nothing is sent: the idle producer finds the broker again through its bootstrap address (it
                    // kept retrying it), and its old failure predates that metadata answer.
                    await().atMost(UP_WITHIN).untilAsserted(() -> {
                        Health up = health.health();
                        assertThat(up.getStatus()).as("%s", up.getDetails()).isEqualTo(Status.UP);
                        assertThat(up.getDetails()).doesNotContainKey("unreachable");
                    });
                });
    }
}
