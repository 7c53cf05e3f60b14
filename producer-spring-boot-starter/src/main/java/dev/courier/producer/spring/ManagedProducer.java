package dev.courier.producer.spring;

import dev.courier.producer.CourierProducer;
import dev.courier.producer.Metric;
import dev.courier.producer.Producer;
import dev.courier.producer.ProducerRecord;
import dev.courier.producer.ProducerStatus;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Owns the application's producer and ties it to the application context's lifecycle.
 *
 * <p>The producer is created with the bean, so a bad configuration fails startup. When the context stops,
 * new sends are refused with {@link ProducerStoppedException} and the producer is closed as the
 * {@link ShutdownMode} says, logging one line with delivered, failed and aborted counts. The lifecycle
 * phase ({@link #PHASE}) is below the web server's, so the server finishes its graceful shutdown, and the
 * requests it was still serving finish publishing, before the producer stops. A context restarted after a
 * stop gets a new producer.
 *
 * <p>Thread safety: start and stop are serialized on a monitor; the send path reads the volatile fields
 * without locking.
 */
public final class ManagedProducer<K, V> implements SmartLifecycle, DisposableBean {

    /** Stops after the web server ({@code DEFAULT_PHASE - 2048}) and its graceful shutdown ({@code - 1024}). */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger log = LoggerFactory.getLogger(ManagedProducer.class);

    private final Supplier<? extends Producer<K, V>> factory;
    private final String clientId;
    private final ShutdownMode shutdownMode;
    private final Duration shutdownTimeout;
    private final Object lifecycleMonitor = new Object();

    // Written under lifecycleMonitor; read lock-free by senders.
    private volatile Producer<K, V> producer;
    private volatile boolean accepting;
    private volatile boolean running;

    /**
     * Creates the producer at once.
     *
     * @param factory         makes a producer; called now and again on a restart after {@link #stop()}
     * @param clientId        the producer's {@code client.id}, for logs and meter tags
     * @param shutdownMode    how {@link #stop()} closes the producer
     * @param shutdownTimeout how long a graceful stop waits before failing what is left
     */
    public ManagedProducer(Supplier<? extends Producer<K, V>> factory, String clientId, ShutdownMode shutdownMode,
                           Duration shutdownTimeout) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.shutdownMode = Objects.requireNonNull(shutdownMode, "shutdownMode");
        this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdownTimeout must not be negative: " + shutdownTimeout);
        }
        this.producer = factory.get();
        this.accepting = true;
    }

    /**
     * The producer to send {@code record} with (null for a stream of records), or
     * {@link ProducerStoppedException} while stopped.
     */
    public Producer<K, V> producerFor(ProducerRecord<?, ?> record) {
        Producer<K, V> current = producer;
        if (current == null || !accepting) {
            throw stopped(record);
        }
        return current;
    }

    ProducerStoppedException stopped(ProducerRecord<?, ?> record) {
        return new ProducerStoppedException("Courier producer '" + clientId + "' is shut down; "
                + (record != null ? "the record for topic " + record.topic() : "the stream of records")
                + " was not accepted", record);
    }

    /** Whether sends are accepted right now. */
    public boolean isAccepting() {
        return accepting && producer != null;
    }

    public String clientId() {
        return clientId;
    }

    public ShutdownMode shutdownMode() {
        return shutdownMode;
    }

    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** The current producer's metrics, or none while stopped. */
    public Map<String, Metric> metrics() {
        Producer<K, V> current = producer;
        return current == null ? Map.of() : current.metrics();
    }

    /** The current producer's status, when it is a {@link CourierProducer} and not stopped. */
    public Optional<ProducerStatus> status() {
        return producer instanceof CourierProducer<K, V> courier ? Optional.of(courier.status()) : Optional.empty();
    }

    /** Sends everything buffered and waits for it; a no-op while stopped. */
    public void flush() {
        Producer<K, V> current = producer;
        if (current != null) {
            current.flush();
        }
    }

    @Override
    public void start() {
        synchronized (lifecycleMonitor) {
            if (producer == null) {
                producer = factory.get();
                log.info("Courier producer '{}' restarted", clientId);
            }
            accepting = true;
            running = true;
        }
    }

    /** Refuses new sends, then closes the producer as {@link #shutdownMode()} says and logs the outcome. */
    @Override
    public void stop() {
        synchronized (lifecycleMonitor) {
            running = false;
            Producer<K, V> closing = producer;
            if (closing == null) {
                return;
            }
            accepting = false;
            long startNs = System.nanoTime();
            closing.close(shutdownMode == ShutdownMode.FORCED ? Duration.ZERO : shutdownTimeout);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            producer = null;
            logStopped(closing, elapsedMs);
        }
    }

    private void logStopped(Producer<K, V> closed, long elapsedMs) {
        String mode = shutdownMode.name().toLowerCase(java.util.Locale.ROOT);
        if (closed instanceof CourierProducer<K, V> courier) {
            ProducerStatus status = courier.status();
            log.info("Courier producer '{}' stopped ({} shutdown, {} ms): {} delivered, {} failed, {} aborted",
                    clientId, mode, elapsedMs, status.acknowledged(), status.failed(),
                    status.abortedBeforeSend() + status.abortedInFlight());
        } else {
            log.info("Courier producer '{}' stopped ({} shutdown, {} ms)", clientId, mode, elapsedMs);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Closes the producer if the context is torn down without a lifecycle stop (e.g. a failed refresh). */
    @Override
    public void destroy() {
        stop();
    }
}
