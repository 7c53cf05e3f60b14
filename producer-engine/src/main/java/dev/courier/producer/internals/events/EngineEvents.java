package dev.courier.producer.internals.events;

import dev.courier.producer.ProducerEventListener;
import dev.courier.producer.ProducerEventListener.BatchCompleted;
import dev.courier.producer.ProducerEventListener.BatchSplit;
import dev.courier.producer.ProducerEventListener.Connection;
import dev.courier.producer.ProducerEventListener.EpochBump;
import dev.courier.producer.ProducerEventListener.Outcome;
import dev.courier.producer.ProducerEventListener.Retry;
import dev.courier.producer.TopicPartition;
import dev.courier.producer.internals.accumulator.ProducerBatch;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's side of {@link ProducerEventListener}: the places that decide things (network client, batch
 * completer, outcome path, idempotence manager) call these methods with what they already hold, and an event
 * object is built only when a listener is registered; {@link #NONE} returns at once. Each listener is called
 * in turn; what one throws is logged (once a minute at most, per listener) and goes no further.
 *
 * <p>Called from the sender thread only, so listeners see events one at a time.
 */
public final class EngineEvents implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EngineEvents.class);
    private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

    /** No listener: every method returns at once. */
    public static final EngineEvents NONE = new EngineEvents(List.of());

    private final Guarded[] listeners;

    private EngineEvents(List<ProducerEventListener> listeners) {
        this.listeners = listeners.stream().map(Guarded::new).toArray(Guarded[]::new);
    }

    /** The listeners' composite, or {@link #NONE} when there are none. */
    public static EngineEvents of(List<ProducerEventListener> listeners) {
        return listeners == null || listeners.isEmpty() ? NONE : new EngineEvents(listeners);
    }

    /** Whether any listener is registered (callers with work to do before an event check this first). */
    public boolean active() {
        return listeners.length > 0;
    }

    public void connected(String nodeId, String address) {
        if (active()) {
            Connection connection = connection(nodeId, address);
            emit(l -> l.onConnected(connection));
        }
    }

    public void disconnected(String nodeId, String address) {
        if (active()) {
            Connection connection = connection(nodeId, address);
            emit(l -> l.onDisconnected(connection));
        }
    }

    public void connectionFailed(String nodeId, String address) {
        if (active()) {
            Connection connection = connection(nodeId, address);
            emit(l -> l.onConnectionFailed(connection));
        }
    }

    public void authenticationFailed(String nodeId, String address, String reason) {
        if (active()) {
            Connection connection = connection(nodeId, address);
            emit(l -> l.onAuthenticationFailed(connection, reason));
        }
    }

    /** @param attempt the attempt that failed, 1 for the first */
    public void retry(ProducerBatch batch, int attempt, String error, long backoffMs) {
        if (active()) {
            Retry retry = new Retry(publicPartition(batch), batch.recordCount(), attempt, error, backoffMs);
            emit(l -> l.onRetry(retry));
        }
    }

    public void epochBump(long producerId, short oldEpoch, short newEpoch, String reason) {
        if (active()) {
            EpochBump bump = new EpochBump(producerId, oldEpoch, newEpoch, reason);
            emit(l -> l.onEpochBump(bump));
        }
    }

    /** The batch reached its final state (succeeded or failed). */
    public void batchCompleted(ProducerBatch batch) {
        if (active()) {
            RuntimeException error = batch.error();
            BatchCompleted completed = new BatchCompleted(publicPartition(batch), batch.recordCount(),
                    batch.isClosed() ? batch.encodedSizeInBytes() : 0, batch.requests(),
                    error == null ? Outcome.SUCCEEDED : Outcome.FAILED, error, batch.deliveryTimings());
            emit(l -> l.onBatchCompleted(completed));
        }
    }

    public void batchSplit(ProducerBatch batch, int parts) {
        if (active()) {
            BatchSplit split = new BatchSplit(publicPartition(batch), batch.recordCount(), parts);
            emit(l -> l.onBatchSplit(split));
        }
    }

    private static Connection connection(String nodeId, String address) {
        int id;
        try {
            id = Integer.parseInt(nodeId);
        } catch (NumberFormatException e) {
            id = -1;
        }
        return new Connection(id, address);
    }

    private static TopicPartition publicPartition(ProducerBatch batch) {
        return new TopicPartition(batch.topicPartition().topic(), batch.topicPartition().partition());
    }

    private void emit(Consumer<ProducerEventListener> event) {
        for (Guarded listener : listeners) {
            listener.accept(event);
        }
    }

    /** Closes every listener, logging (never throwing) what they throw. */
    @Override
    public void close() {
        for (Guarded guarded : listeners) {
            try {
                guarded.listener.close();
            } catch (Exception e) {
                log.warn("Event listener {} failed to close", guarded.listener.getClass().getName(), e);
            }
        }
    }

    /** One listener with its own failure log budget (sender thread only). */
    private static final class Guarded {

        private final ProducerEventListener listener;
        private long lastLoggedNanos;
        private boolean loggedOnce;
        private long suppressed;

        Guarded(ProducerEventListener listener) {
            this.listener = listener;
        }

        void accept(Consumer<ProducerEventListener> event) {
            try {
                event.accept(listener);
            } catch (RuntimeException | LinkageError e) {
                long now = System.nanoTime();
                if (loggedOnce && now - lastLoggedNanos < LOG_INTERVAL_NANOS) {
                    suppressed++;
                    return;
                }
                log.warn("Event listener {} threw; ignoring it{}", listener.getClass().getName(),
                        suppressed == 0 ? "" : " (and " + suppressed + " earlier failures not logged)", e);
                loggedOnce = true;
                lastLoggedNanos = now;
                suppressed = 0;
            }
        }
    }
}
