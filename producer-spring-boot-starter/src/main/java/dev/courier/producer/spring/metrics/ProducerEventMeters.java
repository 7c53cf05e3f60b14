package dev.courier.producer.spring.metrics;

import dev.courier.producer.DeliveryTimings;
import dev.courier.producer.ProducerEventListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Meters that count what the engine reports as it happens, bound to its {@link ProducerEventListener} instead of
 * read from the metrics map: retries and splits (under the names the polled meters had), epoch bumps, connection
 * events and completed batches; and, when {@code delivery.timings.enable} is on, one timer per delivery phase
 * ({@code courier.producer.delivery.metadata.wait}, {@code .linger}, {@code .queue}, {@code .retry},
 * {@code .wire}) plus a distribution of attempts, one sample per acknowledged batch.
 *
 * <p>Called on the producer's network thread: every meter is registered up front, so an event costs an
 * increment or a record, never a registry look-up.
 */
public final class ProducerEventMeters implements ProducerEventListener {

    /** Meter names of the engine metrics this listener counts instead; {@link ProducerMeters} skips them. */
    public static final Set<String> REPLACED_METRICS = Set.of("record-retry-total", "batch-split-total");

    private final Counter retries;
    private final Counter splits;
    private final Counter epochBumps;
    private final Counter connected;
    private final Counter disconnected;
    private final Counter connectionFailures;
    private final Counter authenticationFailures;
    private final Counter batchesSucceeded;
    private final Counter batchesFailed;
    /** Null unless delivery timings are on. */
    private final Timings timings;

    /** @param timings whether delivery timings are on, so timers are registered and fed */
    public ProducerEventMeters(MeterRegistry registry, Tags tags, boolean timings) {
        this.retries = counter(registry, "record.retry.total", "Batches sent again after a retriable error.", tags);
        this.splits = counter(registry, "batch.split.total",
                "Batches split into smaller ones after the broker refused them as too large.", tags);
        this.epochBumps = counter(registry, "epoch.bump.total",
                "Epoch bumps of the idempotent producer (its sequence numbers restarted).", tags);
        String connections = "Broker connections, by event.";
        this.connected = counter(registry, "connection.events", connections, tags.and("event", "connected"));
        this.disconnected = counter(registry, "connection.events", connections, tags.and("event", "disconnected"));
        this.connectionFailures = counter(registry, "connection.events", connections, tags.and("event", "failed"));
        this.authenticationFailures = counter(registry, "connection.events", connections,
                tags.and("event", "authentication-failed"));
        String batches = "Record batches that ended, by outcome.";
        this.batchesSucceeded = counter(registry, "batch.completed", batches, tags.and("outcome", "succeeded"));
        this.batchesFailed = counter(registry, "batch.completed", batches, tags.and("outcome", "failed"));
        this.timings = timings ? new Timings(registry, tags) : null;
    }

    private static Counter counter(MeterRegistry registry, String name, String description, Tags tags) {
        return Counter.builder(ProducerMeters.PREFIX + name).description(description).tags(tags).register(registry);
    }

    @Override
    public void onConnected(Connection connection) {
        connected.increment();
    }

    @Override
    public void onDisconnected(Connection connection) {
        disconnected.increment();
    }

    @Override
    public void onConnectionFailed(Connection connection) {
        connectionFailures.increment();
    }

    @Override
    public void onAuthenticationFailed(Connection connection, String reason) {
        authenticationFailures.increment();
    }

    @Override
    public void onRetry(Retry retry) {
        retries.increment();
    }

    @Override
    public void onEpochBump(EpochBump bump) {
        epochBumps.increment();
    }

    @Override
    public void onBatchSplit(BatchSplit split) {
        splits.increment();
    }

    @Override
    public void onBatchCompleted(BatchCompleted batch) {
        if (batch.outcome() == Outcome.SUCCEEDED) {
            batchesSucceeded.increment();
            if (timings != null && batch.timings() != null) {
                timings.record(batch.timings());
            }
        } else {
            batchesFailed.increment();
        }
    }

    /** The delivery-phase timers. */
    private static final class Timings {

        private final Timer metadataWait;
        private final Timer linger;
        private final Timer queue;
        private final Timer retry;
        private final Timer wire;
        private final DistributionSummary attempts;

        Timings(MeterRegistry registry, Tags tags) {
            metadataWait = timer(registry, "metadata.wait",
                    "Longest wait for topic metadata among a batch's records, for batches whose records waited.", tags);
            linger = timer(registry, "linger", "Time a batch was open for more records.", tags);
            queue = timer(registry, "queue", "Time a ready batch waited for its first request.", tags);
            retry = timer(registry, "retry", "Time from a batch's first request to its last (failed attempts, "
                    + "backoffs).", tags);
            wire = timer(registry, "wire", "Time from the last request for a batch to its response.", tags);
            attempts = DistributionSummary.builder(ProducerMeters.PREFIX + "delivery.attempts")
                    .description("Requests that carried an acknowledged batch.").tags(tags).register(registry);
        }

        private static Timer timer(MeterRegistry registry, String phase, String description, Tags tags) {
            return Timer.builder(ProducerMeters.PREFIX + "delivery." + phase).description(description).tags(tags)
                    .register(registry);
        }

        void record(DeliveryTimings t) {
            if (t.metadataWaitMs() > 0) {
                metadataWait.record(t.metadataWaitMs(), TimeUnit.MILLISECONDS);
            }
            linger.record(t.lingerMs(), TimeUnit.MILLISECONDS);
            queue.record(t.queueMs(), TimeUnit.MILLISECONDS);
            retry.record(t.retryMs(), TimeUnit.MILLISECONDS);
            wire.record(t.wireMs(), TimeUnit.MILLISECONDS);
            attempts.record(t.attempts());
        }
    }
}
