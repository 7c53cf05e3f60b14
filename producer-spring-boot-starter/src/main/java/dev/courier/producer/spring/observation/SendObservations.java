package dev.courier.producer.spring.observation;

import dev.courier.producer.ProducerRecord;
import dev.courier.producer.spring.OutgoingHeaders;
import dev.courier.producer.spring.SendObserver;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Micrometer {@link Observation} per send, named {@value #NAME}: started when the record is handed to
 * the producer and stopped at the broker's acknowledgement (or the failure), not when {@code send} returns.
 *
 * <p>The observation's context is a producer-kind {@link SenderContext} whose carrier is the record's
 * {@link OutgoingHeaders}: with Micrometer Tracing present (an OpenTelemetry or Brave bridge, whose
 * propagating sender handler Spring Boot registers), the send's span is a child of the caller's current span,
 * and its context is written into the record's headers ({@code traceparent} with W3C propagation, the default)
 * before the record is serialized, so a consumer continues the trace. Without a tracer nothing is written.
 *
 * <p>Key values follow OpenTelemetry's messaging conventions. Low cardinality: {@code messaging.system}
 * ({@code kafka}), {@code messaging.operation.type} ({@code send}), {@code messaging.destination.name} (the
 * topic), {@code messaging.client.id} and, as before, {@code courier.client.id}. High cardinality, known once
 * the broker acknowledged: {@code messaging.kafka.destination.partition}, {@code messaging.kafka.message.offset}.
 * A failure is recorded as the observation's error.
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

    /** Observes without a header carrier: a tracer cannot propagate into the record. */
    @Override
    public Completion onSend(ProducerRecord<?, ?> record) {
        return onSend(record, null);
    }

    @Override
    public Completion onSend(ProducerRecord<?, ?> record, OutgoingHeaders headers) {
        TopicView topic = topics.computeIfAbsent(record.topic(), this::view);
        Observation observation = Observation.createNotStarted(NAME, () -> senderContext(headers), registry)
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

    private static SenderContext<OutgoingHeaders> senderContext(OutgoingHeaders headers) {
        SenderContext<OutgoingHeaders> context = new SenderContext<>(SendObservations::writeHeader, Kind.PRODUCER);
        context.setCarrier(headers);
        context.setRemoteServiceName("kafka");
        return context;
    }

    private static void writeHeader(OutgoingHeaders carrier, String key, String value) {
        if (carrier != null) {
            carrier.set(key, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private TopicView view(String topic) {
        return new TopicView(topic + " send", KeyValues.of(
                "messaging.system", "kafka",
                "messaging.operation.type", "send",
                "messaging.destination.name", topic,
                "messaging.client.id", clientId,
                "courier.client.id", clientId));
    }
}
