package dev.courier.producer.internals.sender;

/**
 * What the sender needs from the producer's configuration.
 *
 * @param acks                  -1 (all), 0 or 1
 * @param guaranteeMessageOrder mute a partition while a batch of it is in flight
 *                              ({@code max.in.flight.requests.per.connection=1})
 * @param idempotent            use a producer id and sequence numbers ({@code enable.idempotence})
 */
public record SenderSettings(short acks, int maxRequestSize, int requestTimeoutMs, int retries,
                             long retryBackoffMs, long retryBackoffMaxMs, long deliveryTimeoutMs,
                             long maxBlockMs, boolean guaranteeMessageOrder, boolean idempotent) {
}
