package dev.courier.producer.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.Header;
import dev.courier.producer.ProducerRecord;
import dev.courier.producer.RecordMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the template starts and ends its {@link SendObserver}s, without a broker: each observation ends exactly
 * once with the send's outcome, observers only get headers to write when one of them can write any, and a failing
 * observer costs neither the others nor the send.
 */
class ProducerTemplateObserversTests {

    private final CapturingProducer producer = new CapturingProducer();
    private final ManagedProducer<String, String> managed =
            new ManagedProducer<>(() -> producer, "observed", ShutdownMode.FORCED, Duration.ZERO);
    /** What the observers saw, in order: "start:<observer>:<value>", "end:<observer>:<offset or error>". */
    private final List<String> seen = new ArrayList<>();

    @AfterEach
    void stop() {
        managed.stop();
    }

    private ProducerTemplate<String, String> template(SendObserver... observers) {
        managed.start();
        return new ProducerTemplate<>(managed, null, null, List.of(observers));
    }

    /** An observer named {@code name} that writes no headers (it only implements {@code onSend(record)}). */
    private SendObserver watching(String name) {
        return record -> {
            seen.add("start:" + name + ":" + record.value());
            return (metadata, exception) -> seen.add("end:" + name + ":"
                    + (exception == null ? metadata.offset() : exception.getMessage()));
        };
    }

    @Test
    void oneObserverSeesEachSendStartAndEndOnceWithItsOutcome() {
        ProducerTemplate<String, String> template = template(watching("timer"));

        CompletableFuture<SendResult<String, String>> first = template.send("t", "a");
        CompletableFuture<SendResult<String, String>> second = template.send("t", "b");
        producer.acknowledge(0);
        producer.fail(1, new IllegalStateException("boom"));

        assertThat(seen).containsExactly("start:timer:a", "start:timer:b", "end:timer:0", "end:timer:boom");
        assertThat(first).isCompleted();
        assertThat(second).isCompletedExceptionally();
    }

    @Test
    void observersThatWriteNoHeadersLeaveTheCallersRecordAsItIs() {
        ProducerTemplate<String, String> template = template(watching("timer"), watching("other"));
        ProducerRecord<String, String> record = new ProducerRecord<>("t", "k", "v");

        CompletableFuture<SendResult<String, String>> sent = template.send(record);
        producer.acknowledge(0);

        assertThat(producer.records.get(0)).isSameAs(record);
        assertThat(sent.join().producerRecord()).isSameAs(record);
        assertThat(seen).containsExactly("start:timer:v", "start:other:v", "end:timer:0", "end:other:0");
    }

    @Test
    void headersAnObserverWritesAreInTheRecordSentWhileTheOthersStillObserve() {
        SendObserver tracing = new SendObserver() {
            @Override
            public Completion onSend(ProducerRecord<?, ?> record) {
                throw new AssertionError("the template must hand a headers-writing observer its headers");
            }

            @Override
            public Completion onSend(ProducerRecord<?, ?> record, OutgoingHeaders headers) {
                headers.set("traceparent", "00-1".getBytes(StandardCharsets.UTF_8));
                return (metadata, exception) -> seen.add("end:tracing");
            }
        };
        ProducerTemplate<String, String> template = template(watching("timer"), tracing);
        ProducerRecord<String, String> record = new ProducerRecord<>("t", "v");

        CompletableFuture<SendResult<String, String>> sent = template.send(record);
        producer.acknowledge(0);

        ProducerRecord<String, String> onTheWire = producer.records.get(0);
        assertThat(onTheWire).isNotSameAs(record);
        assertThat(onTheWire.headers()).extracting(Header::key).containsExactly("traceparent");
        assertThat(sent.join().producerRecord()).isSameAs(onTheWire);
        assertThat(seen).containsExactly("start:timer:v", "end:timer:0", "end:tracing");
    }

    @Test
    void aFailingObserverCostsNeitherTheOthersNorTheSend() {
        SendObserver failsToStart = record -> {
            throw new IllegalStateException("cannot start");
        };
        SendObserver failsToEnd = record -> (metadata, exception) -> {
            seen.add("end:failing");
            throw new IllegalStateException("cannot end");
        };
        ProducerTemplate<String, String> template = template(failsToStart, failsToEnd, watching("timer"));

        CompletableFuture<SendResult<String, String>> sent = template.send("t", "v");
        producer.acknowledge(0);

        assertThat(seen).containsExactly("start:timer:v", "end:failing", "end:timer:0");
        assertThat(sent.join().recordMetadata().offset()).isZero();
    }

    @Test
    void aSendTheProducerRefusesEndsItsObservationWithTheRefusal() {
        ProducerTemplate<String, String> template = template(watching("timer"));
        producer.refuseWith = new IllegalArgumentException("too large");

        assertThatThrownBy(() -> template.send("t", "v")).hasMessage("too large");

        assertThat(seen).containsExactly("start:timer:v", "end:timer:too large");
    }
}
