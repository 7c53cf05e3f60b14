package dev.courier.producer.spring.health;

import dev.courier.producer.BrokerConnection;
import dev.courier.producer.ProducerStatus;
import dev.courier.producer.spring.ManagedProducer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Whether the producer can reach the cluster. Cheap: it reads the producer's status snapshot, never contacts a
 * broker.
 *
 * <ul>
 *   <li>DOWN when the producer is stopped; when every known broker's connection is failing (lost, or refused
 *       since), which the network thread reports within a reconnect backoff; or when the metadata is stale.</li>
 *   <li>UNKNOWN before the first metadata response, unless every bootstrap address already failed (DOWN).</li>
 *   <li>UP otherwise.</li>
 * </ul>
 *
 * <p>Brokers the producer has no connection to are not counted as failing: at startup, or after it closed an
 * idle connection ({@code connections.max.idle.ms}), a quiet producer is not a broken one; staleness then
 * remains the slower signal. Nor is a failure older than the latest metadata answer, which came from a broker
 * that was reachable after it. With metadata, every broker it names must have been tried and be failing, since an
 * untried one may still answer. Details name the unreachable brokers ({@code unreachable}), each connection's
 * state, the known broker count, the metadata age and the delivery counts.
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
        report(current.get(), builder);
    }

    /** The decision for a running producer's {@code status}, with its details. */
    static void report(ProducerStatus status, Health.Builder builder) {
        builder.withDetail("brokers", status.knownBrokers())
                .withDetail("acknowledged", status.acknowledged())
                .withDetail("failed", status.notDelivered());
        List<BrokerConnection> failing = status.connections().stream()
                .filter(connection -> failingSinceLastMetadata(connection, status)).toList();
        if (!status.connections().isEmpty()) {
            builder.withDetail("connections", describe(status.connections()));
        }
        if (!failing.isEmpty()) {
            builder.withDetail("unreachable", failing.stream().map(ProducerHealthIndicator::name).toList());
        }
        if (status.metadataAgeMs() >= 0) {
            builder.withDetail("metadataAgeMs", status.metadataAgeMs());
        }
        if (everyKnownBrokerFailing(status, failing)) {
            builder.down().withDetail("reason", "no broker reachable: every connection failed");
            return;
        }
        if (status.metadataAgeMs() < 0) {
            builder.unknown().withDetail("reason", "no metadata from a broker yet");
            return;
        }
        long staleAfterMs = staleAfter(status).toMillis();
        if (status.metadataAgeMs() > staleAfterMs) {
            builder.down().withDetail("reason", "metadata older than " + staleAfterMs + " ms: no broker reachable");
        } else {
            builder.up();
        }
    }

    /**
     * A failure older than the latest metadata answer says nothing about now: that answer came over a
     * connection that worked (an idle producer may have reached the cluster through its bootstrap address and
     * had no reason to retry the broker it lost). A broker being retried fails again and again, so stays recent.
     */
    private static boolean failingSinceLastMetadata(BrokerConnection connection, ProducerStatus status) {
        return connection.failing()
                && (status.metadataAgeMs() < 0 || connection.stateAgeMs() <= status.metadataAgeMs());
    }

    private static boolean everyKnownBrokerFailing(ProducerStatus status, List<BrokerConnection> failing) {
        if (failing.isEmpty() || failing.size() < status.connections().size()) {
            return false;
        }
        // Before metadata the connections are the bootstrap addresses; after, only tried brokers have one.
        return status.metadataAgeMs() < 0 || failing.size() >= status.knownBrokers();
    }

    private static Map<String, String> describe(List<BrokerConnection> connections) {
        Map<String, String> states = new LinkedHashMap<>();
        for (BrokerConnection connection : connections) {
            String state = connection.state().name().toLowerCase(Locale.ROOT) + " for "
                    + connection.stateAgeMs() + " ms";
            if (connection.failedAttempts() > 0) {
                state += " (" + connection.failedAttempts() + " failed attempts)";
            }
            states.put(name(connection), state);
        }
        return states;
    }

    private static String name(BrokerConnection connection) {
        return connection.address() != null ? connection.address() : "node " + connection.nodeId();
    }
}
