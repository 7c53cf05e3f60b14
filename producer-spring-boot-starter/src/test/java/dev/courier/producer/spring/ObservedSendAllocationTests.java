package dev.courier.producer.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.ProducerRecord;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.spring.metrics.SendTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the send timer allocates per send, counted with the thread's allocation counter (bytes, not time): one
 * small object holding the start. It ran every send, so a capturing lambda, a wrapper around its completion or a
 * headers object nobody writes would show here (it was 88 bytes before they went).
 */
class ObservedSendAllocationTests {

    private static final int SENDS = 100_000;

    private final CapturingProducer producer = new CapturingProducer();
    private final ManagedProducer<String, String> managed =
            new ManagedProducer<>(() -> producer, "allocation", ShutdownMode.FORCED, Duration.ZERO);

    @AfterEach
    void stop() {
        managed.stop();
    }

    @Test
    void theSendTimerAddsAtMostOneSmallObjectPerSend() {
        managed.start();
        producer.acknowledgeAtOnce = new RecordMetadata("orders", 0, 0, 0);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ProducerTemplate<String, String> bare = new ProducerTemplate<>(managed, null, null, List.of());
        ProducerTemplate<String, String> timed = new ProducerTemplate<>(managed, null, null,
                List.of(new SendTimer(registry, "allocation")));
        ProducerRecord<String, String> record = new ProducerRecord<>("orders", "v");
        for (int warm = 0; warm < 3; warm++) { // the timer registered, the paths compiled
            bytesPerSend(bare, record);
            bytesPerSend(timed, record);
        }

        double extra = bytesPerSend(timed, record) - bytesPerSend(bare, record);

        assertThat(registry.get(SendTimer.NAME).tag("outcome", "success").timer().count())
                .isEqualTo(4L * SENDS);
        assertThat(extra).as("bytes per send the timer adds: %.1f", extra).isLessThanOrEqualTo(32);
    }

    private static double bytesPerSend(ProducerTemplate<String, String> template, ProducerRecord<String, String> record) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < SENDS; i++) {
            template.send(record);
        }
        return (threads.getThreadAllocatedBytes(thread) - before) / (double) SENDS;
    }
}
