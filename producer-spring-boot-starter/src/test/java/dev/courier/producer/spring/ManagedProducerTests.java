package dev.courier.producer.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.CourierProducer;
import dev.courier.producer.ProducerConfig;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.errors.ProducerClosedException;
import dev.courier.producer.serialization.StringSerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Lifecycle of the managed producer without a broker: records wait for metadata that never comes. */
class ManagedProducerTests {

    private static ManagedProducer<String, String> unreachable(ShutdownMode mode, Duration timeout) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS, "localhost:1",
                ProducerConfig.CLIENT_ID, "lifecycle");
        return new ManagedProducer<>(() -> new CourierProducer<>(config, new StringSerializer(), new StringSerializer()),
                "lifecycle", mode, timeout);
    }

    @Test
    void aForcedStopFailsEveryPendingSendAndCountsItAsAborted() {
        ManagedProducer<String, String> producer = unreachable(ShutdownMode.FORCED, Duration.ofMinutes(1));
        ProducerTemplate<String, String> template = new ProducerTemplate<>(producer);
        producer.start();
        List<CompletableFuture<SendResult<String, String>>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            futures.add(template.send("orders", "k" + i, "v" + i));
        }

        producer.stop();

        assertThat(futures).allSatisfy(future -> assertThatThrownBy(future::join)
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(ProducerClosedException.class));
        assertThat(producer.isRunning()).isFalse();
    }

    @Test
    void aGracefulStopFailsWhatIsLeftWhenTheTimeoutExpires() {
        ManagedProducer<String, String> producer = unreachable(ShutdownMode.GRACEFUL, Duration.ofMillis(200));
        ProducerTemplate<String, String> template = new ProducerTemplate<>(producer);
        producer.start();
        CompletableFuture<SendResult<String, String>> future = template.send("orders", "v");

        producer.stop();

        assertThatThrownBy(future::join).hasCauseInstanceOf(ProducerClosedException.class);
    }

    @Test
    void aSendAfterStopIsRefusedWithTheRecordAndTheListenerIsTold() {
        ManagedProducer<String, String> producer = unreachable(ShutdownMode.FORCED, Duration.ZERO);
        List<Exception> errors = new ArrayList<>();
        ProducerTemplate<String, String> template = new ProducerTemplate<>(producer, null,
                new ProducerListener<>() {
                    @Override
                    public void onError(dev.courier.producer.ProducerRecord<String, String> record,
                                        RecordMetadata metadata, Exception exception) {
                        errors.add(exception);
                    }
                }, List.of());
        producer.start();
        producer.stop();

        assertThatThrownBy(() -> template.send("orders", "late"))
                .isInstanceOf(ProducerStoppedException.class)
                .hasMessageContaining("'lifecycle' is shut down")
                .hasMessageContaining("orders")
                .satisfies(e -> assertThat(((ProducerStoppedException) e).record().value()).isEqualTo("late"));
        assertThat(errors).singleElement().isInstanceOf(ProducerStoppedException.class);
    }

    @Test
    void aRestartAfterStopCreatesANewProducer() {
        ManagedProducer<String, String> producer = unreachable(ShutdownMode.FORCED, Duration.ZERO);
        producer.start();
        producer.stop();
        assertThat(producer.isAccepting()).isFalse();
        assertThat(producer.metrics()).isEmpty();

        producer.start();

        assertThat(producer.isAccepting()).isTrue();
        assertThat(producer.metrics()).containsKey("record-send-total");
        producer.stop();
    }

    @Test
    void sendDefaultWithoutADefaultTopicSaysWhichPropertyToSet() {
        ManagedProducer<String, String> producer = unreachable(ShutdownMode.FORCED, Duration.ZERO);
        try {
            assertThatThrownBy(() -> new ProducerTemplate<>(producer).sendDefault("v"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("courier.producer.default-topic");
        } finally {
            producer.stop();
        }
    }

    @Test
    void itStopsAfterTheWebServersGracefulShutdown() {
        // Web server graceful shutdown runs at DEFAULT_PHASE - 1024 and the server stops at DEFAULT_PHASE - 2048;
        // lower phases stop later.
        assertThat(ManagedProducer.PHASE).isLessThan(org.springframework.context.SmartLifecycle.DEFAULT_PHASE - 2048);
    }
}
