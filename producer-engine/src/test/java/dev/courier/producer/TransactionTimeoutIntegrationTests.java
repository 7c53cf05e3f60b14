package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.courier.producer.errors.ApplicationRecoverableException;
import dev.courier.producer.errors.TransactionTimedOutException;
import dev.courier.producer.serialization.StringSerializer;
import dev.courier.test.EmbeddedKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.TransactionState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A transaction that outlives {@code transaction.timeout.ms} is aborted by the coordinator, and the
 * producer says so instead of a bare "fenced". A private cluster checks for timed-out transactions
 * every 200 ms instead of every 10 s.
 */
class TransactionTimeoutIntegrationTests {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startCluster() {
        kafka = EmbeddedKafka.start(1, Map.of("transaction.abort.timed.out.transaction.cleanup.interval.ms", "200"));
    }

    @AfterAll
    static void stopCluster() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void theCoordinatorAbortsATransactionThatOutlivesItsTimeoutAndCommitSaysSo() throws Exception {
        String topic = kafka.uniqueTopic("txn-timeout");
        kafka.createTopic(topic, 1, 1);
        String id = "timeout-" + System.nanoTime();
        Map<String, Object> config = TestProducers.config(kafka);
        config.put(ProducerConfig.TRANSACTIONAL_ID, id);
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_MS, 1000);
        try (Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "too-late")).get(30, TimeUnit.SECONDS);

            await("the coordinator aborts the timed-out transaction").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        TransactionState state = kafka.admin().describeTransactions(List.of(id)).description(id)
                                .get(10, TimeUnit.SECONDS).state();
                        return state == TransactionState.COMPLETE_ABORT;
                    });

            assertThatThrownBy(producer::commitTransaction).isInstanceOf(TransactionTimedOutException.class)
                    .isInstanceOf(ApplicationRecoverableException.class)
                    .hasMessageContaining("transaction.timeout.ms (1000)");
        }
        assertThat(TransactionReader.readCommitted(kafka.bootstrapServers(), topic)).isEmpty();
        assertThat(TransactionReader.readUncommitted(kafka.bootstrapServers(), topic)).containsExactly("too-late");
    }
}
