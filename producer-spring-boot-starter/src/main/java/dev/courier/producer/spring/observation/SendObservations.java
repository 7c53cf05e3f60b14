package dev.courier.producer.spring.observation;

import dev.courier.producer.ProducerRecord;
import dev.courier.producer.spring.SendObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * One Micrometer {@link Observation} per send, named {@value #NAME}: started when the record is handed to
 * the producer and stopped at the broker's acknowledgement (or the failure), not when {@code send} returns.
 * Low-cardinality key values: {@code messaging.system}, {@code messaging.destination.name} (topic),
 * {@code courier.client.id}; high-cardinality: {@code messaging.kafka.destination.partition},
 * {@code messaging.kafka.message.offset}; a failure is recorded as the observation's error.
 */
public final class SendObservations implements SendObserver {

    public static final String NAME = "courier.producer.send";

    private final ObservationRegistry registry;
    private final String clientId;

    public SendObservations(ObservationRegistry registry, String clientId) {
        this.registry = registry;
        this.clientId = clientId;
    }

    @Override
    public Completion onSend(ProducerRecord<?, ?> record) {
        Observation observation = Observation.createNotStarted(NAME, registry)
                .contextualName(record.topic() + " send")
                .lowCardinalityKeyValue("messaging.system", "kafka")
                .lowCardinalityKeyValue("messaging.destination.name", record.topic())
                .lowCardinalityKeyValue("courier.client.id", clientId)
                .start();
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
}
