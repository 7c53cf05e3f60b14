package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.serialization.StringSerializer;
import dev.courier.test.EmbeddedKafka;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The transaction coordinator's broker stops mid-transaction in a 3-broker cluster (transaction log RF 3,
 * min ISR 2): the producer finds the new coordinator and the transaction commits, exactly once.
 */
class TransactionCoordinatorFailoverIntegrationTests {

    @Test
    void aTransactionCommitsAfterItsCoordinatorStops() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(3, Map.of("transaction.state.log.min.isr", "2"))) {
            String topic = kafka.uniqueTopic("txn-failover");
            kafka.createTopic(topic, 3, 3);
            String id = "failover-" + System.nanoTime();
            Map<String, Object> config = TestProducers.config(kafka);
            config.put(ProducerConfig.TRANSACTIONAL_ID, id);
            config.put(ProducerConfig.MAX_BLOCK_MS, 60_000);
            try (Producer<String, String> producer = new CourierProducer<>(config, new StringSerializer(),
                    new StringSerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    futures.add(producer.send(new ProducerRecord<>(topic, i % 3, null, "before-" + i)));
                }
                CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);

                int coordinator = kafka.admin().describeTransactions(List.of(id)).description(id)
                        .get(30, TimeUnit.SECONDS).coordinatorId();
                kafka.stopBroker(coordinator);

                for (int i = 0; i < 30; i++) {
                    futures.add(producer.send(new ProducerRecord<>(topic, i % 3, null, "after-" + i)));
                }
                producer.commitTransaction();
                assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
            }
            List<String> committed = TransactionReader.readCommitted(kafka.bootstrapServers(), topic);
            assertThat(committed).hasSize(60).doesNotHaveDuplicates();
        }
    }
}
