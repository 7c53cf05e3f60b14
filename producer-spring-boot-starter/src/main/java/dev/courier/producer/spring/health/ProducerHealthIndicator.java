package dev.courier.producer.spring.health;

import dev.courier.producer.ProducerStatus;
import dev.courier.producer.spring.ManagedProducer;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Whether the producer can reach the cluster: UP while its metadata is fresh, DOWN when it is stale or the
 * producer is stopped, UNKNOWN before the first metadata response. Details carry the known brokers, the
 * metadata age and the delivery counts. Cheap: it reads a snapshot, never contacts a broker.
 *
 * <p>"Stale" is judged with the producer's own resolved settings (see {@link #staleAfter}), so a value set
 * through a typed property, the raw map or a customizer, or left at the engine's default, counts alike.
 */
public final class ProducerHealthIndicator extends AbstractHealthIndicator {

    private final ManagedProducer<?, ?> producer;

    public ProducerHealthIndicator(ManagedProducer<?, ?> producer) {
        super("Courier producer health check failed");
        this.producer = producer;
    }

    /**
     * {@code metadata.max.age.ms} plus {@code request.timeout.ms}: a producer that can reach a broker
     * refreshes its metadata at least every max age, and one refresh takes at most a request timeout.
     */
    public static Duration staleAfter(ProducerStatus status) {
        return Duration.ofMillis(status.metadataMaxAgeMs() + status.requestTimeoutMs());
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
            return;
        }
        long staleAfterMs = staleAfter(status).toMillis();
        if (status.metadataAgeMs() > staleAfterMs) {
            builder.down().withDetail("metadataAgeMs", status.metadataAgeMs())
                    .withDetail("reason", "metadata older than " + staleAfterMs + " ms: no broker reachable");
        } else {
            builder.up().withDetail("metadataAgeMs", status.metadataAgeMs());
        }
    }
}
