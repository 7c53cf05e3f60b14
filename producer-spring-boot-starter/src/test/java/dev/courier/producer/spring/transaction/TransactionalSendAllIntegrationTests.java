package dev.courier.producer.spring.transaction;

import static dev.courier.producer.spring.transaction.TransactionalTemplateIntegrationTests.readCommitted;
import static dev.courier.producer.spring.transaction.TransactionalTemplateIntegrationTests.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.ProducerRecord;
import dev.courier.producer.SendOutcome;
import dev.courier.producer.spring.ProducerTemplate;
import dev.courier.producer.spring.autoconfigure.CourierProducerAutoConfiguration;
import dev.courier.test.EmbeddedKafka;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Signal;

/** {@link ProducerTemplate#sendAll} on a transactional template: the transaction's producer inside, the rule outside. */
class TransactionalSendAllIntegrationTests {

    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();
    private static final Duration AWAIT = Duration.ofSeconds(120);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CourierProducerAutoConfiguration.class))
            .withPropertyValues("courier.producer.bootstrap-servers=" + kafka.bootstrapServers(),
                    "courier.producer.transaction-id-prefix=" + kafka.uniqueTopic("tx-stream") + "-");

    @SuppressWarnings("unchecked")
    private static ProducerTemplate<String, String> template(ApplicationContext context) {
        return context.getBean(ProducerTemplate.class);
    }

    private static Flow.Publisher<ProducerRecord<String, String>> records(String topic, String prefix, int count) {
        return JdkFlowAdapter.publisherToFlowPublisher(
                Flux.range(0, count).map(i -> new ProducerRecord<>(topic, prefix + i)));
    }

    @Test
    void insideExecuteInTransactionTheStreamCommitsOrAbortsWithTheTransaction() {
        String topic = kafka.uniqueTopic("tx-send-all");
        kafka.createTopic(topic, 1, 1);
        runner.run(context -> {
            ProducerTemplate<String, String> template = template(context);
            List<SendOutcome<String, String>> committed = template.executeInTransaction(operations ->
                    JdkFlowAdapter.flowPublisherToFlux(operations.sendAll(records(topic, "c", 2_000)))
                            .collectList().block(AWAIT));

            IllegalStateException failure = new IllegalStateException("after the stream");
            assertThatThrownBy(() -> template.executeInTransaction(operations -> {
                JdkFlowAdapter.flowPublisherToFlux(operations.sendAll(records(topic, "a", 500))).blockLast(AWAIT);
                throw failure;
            })).isSameAs(failure);

            assertThat(committed).hasSize(2_000).allSatisfy(o -> assertThat(o.isSuccess()).isTrue());
            List<String> expected = IntStream.range(0, 2_000).mapToObj(i -> "c" + i).toList();
            assertThat(readCommitted(topic)).containsExactlyElementsOf(expected);
            assertThat(values(kafka.consumeAll(topic, Duration.ofSeconds(30)))).contains("a0", "a499");
        });
    }

    @Test
    void aPublisherSubscribedAfterItsTransactionEndedSendsNothingAndFailsClearly() {
        String topic = kafka.uniqueTopic("tx-send-all-late");
        kafka.createTopic(topic, 1, 1);
        runner.run(context -> {
            ProducerTemplate<String, String> template = template(context);
            Flow.Publisher<SendOutcome<String, String>> escaped = template.executeInTransaction(operations -> {
                operations.send(topic, "k", "in-transaction");
                return operations.sendAll(records(topic, "late", 10)); // wrong: subscribed after the commit
            });

            List<Signal<SendOutcome<String, String>>> signals = JdkFlowAdapter.flowPublisherToFlux(escaped)
                    .materialize().collectList().block(AWAIT);

            assertThat(signals).singleElement().satisfies(signal -> assertThat(signal.getThrowable())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("transaction of this sendAll ended before the stream of records did"));
            // The next transaction (on the same pooled producer) holds only its own record.
            template.executeInTransaction(operations -> operations.send(topic, "k", "next"));
            assertThat(readCommitted(topic)).containsExactly("in-transaction", "next");
            assertThat(values(kafka.consumeAll(topic, Duration.ofSeconds(30)))).containsExactly("in-transaction", "next");
        });
    }

    @Test
    void outsideATransactionSendAllFollowsTheRuleOfSend() {
        String topic = kafka.uniqueTopic("tx-send-all-outside");
        kafka.createTopic(topic, 1, 1);
        runner.run(context -> assertThatThrownBy(() -> template(context).sendAll(records(topic, "r", 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a stream of records was sent outside a transaction")
                .hasMessageContaining("courier.producer.allow-non-transactional=true"));
        runner.withPropertyValues("courier.producer.allow-non-transactional=true").run(context -> {
            List<SendOutcome<String, String>> outcomes = JdkFlowAdapter.flowPublisherToFlux(
                    template(context).sendAll(records(topic, "plain", 10))).collectList().block(AWAIT);
            assertThat(outcomes).extracting(o -> o.record().value())
                    .containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> "plain" + i).toList());
            assertThat(readCommitted(topic)).hasSize(10);
        });
    }
}
