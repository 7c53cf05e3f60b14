package dev.courier.producer.spring.metrics;

import dev.courier.producer.ProducerRecord;
import dev.courier.producer.spring.SendObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Times each send from the {@link dev.courier.producer.spring.ProducerTemplate} call to the broker's
 * acknowledgement (or the failure), as the timer {@value #NAME} with percentiles, tagged with
 * {@code client.id}, {@code topic} and {@code outcome} ({@code success} or {@code failure}).
 */
public final class SendTimer implements SendObserver {

    public static final String NAME = "courier.producer.send.latency";

    private static final double[] PERCENTILES = {0.5, 0.95, 0.99};

    private final MeterRegistry registry;
    private final String clientId;
    /** Topic -> {success timer, failure timer}; registered once per topic, then reused on the hot path. */
    private final Map<String, Timer[]> timers = new ConcurrentHashMap<>();

    public SendTimer(MeterRegistry registry, String clientId) {
        this.registry = registry;
        this.clientId = clientId;
    }

    @Override
    public Completion onSend(ProducerRecord<?, ?> record) {
        Timer.Sample sample = Timer.start(registry);
        Timer[] forTopic = timers.computeIfAbsent(record.topic(), this::register);
        return (metadata, exception) -> sample.stop(forTopic[exception == null ? 0 : 1]);
    }

    private Timer[] register(String topic) {
        return new Timer[] {timer(topic, "success"), timer(topic, "failure")};
    }

    private Timer timer(String topic, String outcome) {
        return Timer.builder(NAME)
                .description("Time from send to the broker's acknowledgement or the failure.")
                .tag("client.id", clientId)
                .tag("topic", topic)
                .tag("outcome", outcome)
                .publishPercentiles(PERCENTILES)
                .register(registry);
    }
}
