package dev.courier.producer.spring.health;

import dev.courier.producer.ProducerStatus;
import dev.courier.producer.spring.ManagedProducer;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Whether the producer can reach the cluster: UP while its metadata is fresh (a broker answered within
 * {@code staleAfter}, which the starter sets to {@code metadata.max.age.ms} plus {@code request.timeout.ms},
 * since the producer refreshes at least that often while it can reach a broker); DOWN when it is stale or
 * the producer is stopped; UNKNOWN before the first metadata response. Details carry the known brokers,
 * the metadata age and the delivery counts. Cheap: it reads a snapshot, never contacts a broker.
 */
public final class ProducerHealthIndicator extends AbstractHealthIndicator {

    private final ManagedProducer<?, ?> producer;
    private final Duration staleAfter;

    public ProducerHealthIndicator(ManagedProducer<?, ?> producer, Duration staleAfter) {
        super("Courier producer health check failed");
        this.producer = producer;
        this.staleAfter = staleAfter;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("clientId", producer.clientId());
        Optional<ProducerStatus> current = producer.status();
        if (current.isEmpty() || !producer.isAccepting()) {
            builder.down().withDetail("reason", "producer is stopped");
            return;
        }
        ProducerStatus status = current.get();
        builder.withDetail("brokers", status.knownBrokers())
                .withDetail("acknowledged", status.acknowledged())
                .withDetail("failed", status.notDelivered());
        if (status.metadataAgeMs() < 0) {
            builder.unknown().withDetail("reason", "no metadata from a broker yet");
        } else if (status.metadataAgeMs() > staleAfter.toMillis()) {
            builder.down().withDetail("metadataAgeMs", status.metadataAgeMs())
                    .withDetail("reason", "metadata older than " + staleAfter.toMillis() + " ms: no broker reachable");
        } else {
            builder.up().withDetail("metadataAgeMs", status.metadataAgeMs());
        }
    }
}
