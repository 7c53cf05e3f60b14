package dev.courier.producer.internals.sender;

import dev.courier.producer.internals.events.EngineEvents;

/**
 * What the sender needs from the producer's configuration.
 *
 * @param acks                  -1 (all), 0 or 1
 * @param guaranteeMessageOrder mute a partition while a batch of it is in flight
 *                              ({@code max.in.flight.requests.per.connection=1})
 * @param idempotent            use a producer id and sequence numbers ({@code enable.idempotence})
 * @param lingerMs              {@code linger.ms}, for delivery timings
 * @param deliveryTimings       note when attempts go out and are answered ({@code delivery.timings.enable})
 * @param events                the {@code event.listeners}, or {@link EngineEvents#NONE}
 */
public record SenderSettings(short acks, int maxRequestSize, int requestTimeoutMs, int retries,
                             long retryBackoffMs, long retryBackoffMaxMs, long deliveryTimeoutMs,
                             long maxBlockMs, boolean guaranteeMessageOrder, boolean idempotent,
                             long lingerMs, boolean deliveryTimings, EngineEvents events) {
}
