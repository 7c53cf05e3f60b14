package dev.courier.producer.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.ProducerRecord;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.spring.SendObserver.Completion;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The send timer times each send from its start to its outcome, under the send's topic and outcome. */
class SendTimerTests {

    private final MockClock clock = new MockClock();
    private final MeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
    private final SendTimer sendTimer = new SendTimer(registry, "timed");

    private static ProducerRecord<String, String> record(String topic) {
        return new ProducerRecord<>(topic, "v");
    }

    private static RecordMetadata acknowledged(String topic) {
        return new RecordMetadata(topic, 0, 0, 0);
    }

    private Timer timer(String topic, String outcome) {
        return registry.get(SendTimer.NAME).tag("client.id", "timed").tag("topic", topic).tag("outcome", outcome)
                .timer();
    }

    @Test
    void recordsTheTimeFromSendToOutcomeUnderTheOutcome() {
        Completion succeeds = sendTimer.onSend(record("orders"));
        clock.add(3, TimeUnit.MILLISECONDS);
        Completion fails = sendTimer.onSend(record("orders"));
        clock.add(2, TimeUnit.MILLISECONDS);
        succeeds.onComplete(acknowledged("orders"), null);
        fails.onComplete(null, new IllegalStateException("boom"));

        assertThat(timer("orders", "success").count()).isEqualTo(1);
        assertThat(timer("orders", "success").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(5);
        assertThat(timer("orders", "failure").count()).isEqualTo(1);
        assertThat(timer("orders", "failure").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(2);
    }

    /** The first topic is remembered to skip the map; the others must still be timed each under its own. */
    @Test
    void sendsAlternatingBetweenTopicsAreEachTimedUnderTheirOwnTopic() {
        List<Completion> started = new ArrayList<>();
        for (String topic : List.of("a", "b", "a", "a", "c", "b", "a")) {
            started.add(sendTimer.onSend(record(topic)));
        }
        clock.add(1, TimeUnit.MILLISECONDS);
        started.forEach(completion -> completion.onComplete(acknowledged("any"), null));

        assertThat(timer("a", "success").count()).isEqualTo(4);
        assertThat(timer("b", "success").count()).isEqualTo(2);
        assertThat(timer("c", "success").count()).isEqualTo(1);
        assertThat(registry.find(SendTimer.NAME).timers()).hasSize(6); // success and failure per topic
    }

    @Test
    void threadsSendingToDifferentTopicsAtOnceTimeEachSendUnderItsTopic() throws Exception {
        int sendsPerThread = 20_000;
        List<String> topics = List.of("t0", "t1", "t2", "t3");
        ExecutorService threads = Executors.newFixedThreadPool(topics.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (String topic : topics) {
                done.add(threads.submit(() -> {
                    go.await();
                    for (int i = 0; i < sendsPerThread; i++) {
                        sendTimer.onSend(record(topic)).onComplete(acknowledged(topic), null);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> thread : done) {
                thread.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        for (String topic : topics) {
            assertThat(timer(topic, "success").count()).as(topic).isEqualTo(sendsPerThread);
        }
    }
}
