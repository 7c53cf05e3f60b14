package dev.courier.producer.spring.observation;

import dev.courier.producer.ProducerRecord;
import dev.courier.producer.spring.SendObserver;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Micrometer {@link Observation} per send, named {@value #NAME}: started when the record is handed to
 * the producer and stopped at the broker's acknowledgement (or the failure), not when {@code send} returns.
 * Low-cardinality key values: {@code messaging.system}, {@code messaging.destination.name} (topic),
 * {@code courier.client.id}; high-cardinality: {@code messaging.kafka.destination.partition},
 * {@code messaging.kafka.message.offset}; a failure is recorded as the observation's error.
 */
public final class SendObservations implements SendObserver {

    public static final String NAME = "courier.producer.send";

    private static final Completion NO_OP = (metadata, exception) -> { };

    private final ObservationRegistry registry;
    private final String clientId;
    /** Topic -> its contextual name and low-cardinality key values, built once per topic rather than per send. */
    private final Map<String, TopicView> topics = new ConcurrentHashMap<>();

    private record TopicView(String contextualName, KeyValues lowCardinality) {
    }

    public SendObservations(ObservationRegistry registry, String clientId) {
        this.registry = registry;
        this.clientId = clientId;
    }

    @Override
    public Completion onSend(ProducerRecord<?, ?> record) {
        TopicView topic = topics.computeIfAbsent(record.topic(), this::view);
        Observation observation = Observation.createNotStarted(NAME, registry)
                .contextualName(topic.contextualName())
                .lowCardinalityKeyValues(topic.lowCardinality())
                .start();
        if (observation.isNoop()) {
            return NO_OP; // e.g. a registry without handlers, or an observation switched off by a predicate
        }
        return (metadata, exception) -> {
            try {
                if (metadata != null) {
                    observation.highCardinalityKeyValue("messaging.kafka.destination.partition",
                            Integer.toString(metadata.partition()));
                    observation.highCardinalityKeyValue("messaging.kafka.message.offset",
                            Long.toString(metadata.offset()));
                }
                if (exception != null) {
                    observation.error(exception);
                }
            } finally {
                observation.stop();
            }
        };
    }

    private TopicView view(String topic) {
        return new TopicView(topic + " send", KeyValues.of(
                "messaging.system", "kafka",
                "messaging.destination.name", topic,
                "courier.client.id", clientId));
    }
}
