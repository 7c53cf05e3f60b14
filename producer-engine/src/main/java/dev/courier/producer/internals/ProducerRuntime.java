package dev.courier.producer.internals;

import dev.courier.producer.internals.accumulator.BufferPool;
import dev.courier.producer.internals.admission.CapacitySignal;
import dev.courier.producer.internals.admission.RecordLimit;
import dev.courier.producer.internals.accumulator.PendingRecords;
import dev.courier.producer.internals.accumulator.ProducerBatch.RecordCompletionListener;
import dev.courier.producer.internals.accumulator.RecordAccumulator;
import dev.courier.producer.internals.completion.CompletionDispatcher;
import dev.courier.producer.internals.config.BootstrapServers;
import dev.courier.producer.internals.config.Plugins;
import dev.courier.producer.internals.config.ProducerSettings;
import dev.courier.producer.internals.events.EngineEvents;
import dev.courier.producer.internals.metadata.Metadata;
import dev.courier.producer.internals.metrics.DeliveryCounts;
import dev.courier.producer.internals.metrics.ProducerMetrics;
import dev.courier.producer.internals.network.KafkaClient;
import dev.courier.producer.internals.network.NetworkClient;
import dev.courier.producer.internals.network.NetworkClientConfig;
import dev.courier.producer.internals.network.NodeConnection;
import dev.courier.producer.internals.network.Selector;
import dev.courier.producer.internals.network.Transports;
import dev.courier.producer.internals.partition.AdaptivePartitionChoice;
import dev.courier.producer.internals.partition.LeaderAvailability;
import dev.courier.producer.internals.security.Authenticators;
import dev.courier.producer.internals.partition.RecordPartitioner;
import dev.courier.producer.internals.record.Compression;
import dev.courier.producer.internals.record.CompressionType;
import dev.courier.producer.internals.sender.BatchOutcomes;
import dev.courier.producer.internals.sender.InFlightBatches;
import dev.courier.producer.internals.sender.ProducerIdentity;
import dev.courier.producer.internals.sender.Sender;
import dev.courier.producer.internals.sender.SenderSettings;
import dev.courier.producer.internals.transaction.TransactionManager;
import dev.courier.producer.internals.util.Time;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the engine's parts from validated settings, starts its two threads, and runs the close
 * sequence: graceful up to a timeout, then forced.
 */
public final class ProducerRuntime {

    private static final Logger log = LoggerFactory.getLogger(ProducerRuntime.class);
    /** Largest response the client accepts; a produce response is tiny, so this only guards against garbage. */
    private static final int MAX_RECEIVE_SIZE = 100 * 1024 * 1024;
    private static final long FORCED_CLOSE_GRACE_MS = 30_000;

    private final Metadata metadata;
    private final Compression compression;
    private final BufferPool pool;
    private final RecordAccumulator accumulator;
    private final CompletionDispatcher dispatcher;
    private final ProducerMetrics metrics;
    private final BatchOutcomes outcomes;
    private final Sender sender;
    private final KafkaClient client;
    /** Null when max.buffered.records is off. */
    private final RecordLimit recordLimit;
    private final CapacitySignal capacity;
    private final Thread ioThread;
    private final TransactionManager transactions;
    private final EngineEvents events;
    private final CountDownLatch closedLatch = new CountDownLatch(1);

    private ProducerRuntime(Metadata metadata, Compression compression, BufferPool pool, RecordAccumulator accumulator,
                            CompletionDispatcher dispatcher, ProducerMetrics metrics, BatchOutcomes outcomes,
                            Sender sender, KafkaClient client, Thread ioThread, TransactionManager transactions,
                            RecordLimit recordLimit, CapacitySignal capacity, EngineEvents events) {
        this.events = events;
        this.transactions = transactions;
        this.recordLimit = recordLimit;
        this.capacity = capacity;
        this.metadata = metadata;
        this.compression = compression;
        this.pool = pool;
        this.accumulator = accumulator;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.outcomes = outcomes;
        this.sender = sender;
        this.client = client;
        this.ioThread = ioThread;
    }

    /** Makes the producer's network client; tests pass one that returns a scripted fake. */
    @FunctionalInterface
    public interface ClientFactory {

        /** The real one: connections over Java NIO. */
        ClientFactory NETWORK = (settings, metadata, time) -> new NetworkClient(
                new Selector(MAX_RECEIVE_SIZE, settings.sendBufferBytes(), settings.receiveBufferBytes(),
                        Transports.forSettings(settings)), metadata, networkConfig(settings), time,
                Authenticators.create(settings.sasl(), time));

        KafkaClient create(ProducerSettings settings, Metadata metadata, Time time);
    }

    /** Builds the engine and starts its threads. */
    public static ProducerRuntime start(ProducerSettings settings, Time time, PendingRecords pending,
                                        RecordPartitioner partitioner, RecordCompletionListener listener,
                                        Runnable onMetadataUpdate) {
        ProducerRuntime runtime = assemble(settings, time, ClientFactory.NETWORK, pending, partitioner, listener,
                onMetadataUpdate);
        runtime.dispatcher.start();
        runtime.ioThread.start();
        return runtime;
    }

    /**
     * Builds the engine without starting its threads: the composition root. Tests assemble it with a
     * manual clock and a fake client, start only the dispatcher, and step the sender by hand.
     */
    public static ProducerRuntime assemble(ProducerSettings settings, Time time, ClientFactory clientFactory,
                                           PendingRecords pending, RecordPartitioner partitioner,
                                           RecordCompletionListener listener, Runnable onMetadataUpdate) {
        CompressionType compressionType = CompressionType.forName(settings.compressionType());
        compressionType.ensureAvailable();
        Compression compression = Compression.of(compressionType, settings.compressionLevel());
        List<InetSocketAddress> bootstrap = BootstrapServers.resolve(settings.bootstrapServers());

        BufferPool pool = new BufferPool(settings.bufferMemory(), settings.batchSize(), time,
                compressionType == CompressionType.NONE);
        RecordAccumulator accumulator = new RecordAccumulator(settings.batchSize(), settings.lingerMs(),
                settings.deliveryTimeoutMs(), compression, pool, settings.maxRequestSize(), time);
        if (settings.partitionerAdaptivePartitioningEnable()) {
            long timeoutMs = settings.partitionerAvailabilityTimeoutMs();
            partitioner.adaptive(new AdaptivePartitionChoice(accumulator::queueSize,
                    timeoutMs > 0 ? new LeaderAvailability(timeoutMs) : null));
        }
        Metadata metadata = new Metadata(settings.retryBackoffMs(), settings.retryBackoffMaxMs(),
                settings.metadataMaxAgeMs(), settings.metadataMaxIdleMs());
        metadata.bootstrap(bootstrap, () -> BootstrapServers.resolve(settings.bootstrapServers()));
        metadata.recovery(settings.metadataRecoveryRebootstrap(), settings.metadataRecoveryRebootstrapTriggerMs());
        metadata.addListener(onMetadataUpdate);
        EngineEvents events = EngineEvents.of(new Plugins().eventListeners(settings.eventListeners(),
                settings.originals()));
        KafkaClient client = clientFactory.create(settings, metadata, time);
        client.events(events);
        CompletionDispatcher dispatcher = new CompletionDispatcher(settings.clientId());
        Sender[] senderRef = new Sender[1];
        DeliveryCounts counts = new DeliveryCounts();
        ProducerMetrics metrics = new ProducerMetrics(time, counts, () -> senderRef[0].inFlightRequests(),
                pool::availableMemory, pool::totalMemory, pool::queued);
        RecordLimit recordLimit = settings.maxBufferedRecords() > 0
                ? new RecordLimit(settings.maxBufferedRecords(), time) : null;
        CapacitySignal capacity = new CapacitySignal(pool, recordLimit, dispatcher);
        pool.onMemoryReturned(capacity::onRoom);
        if (recordLimit != null) {
            recordLimit.onReleased(capacity::onRoom);
        }
        BatchOutcomes outcomes = new BatchOutcomes(accumulator, dispatcher, listener, metrics, counts, recordLimit,
                events);
        SenderSettings senderSettings = new SenderSettings(settings.acks(), settings.maxRequestSize(),
                settings.requestTimeoutMs(), settings.retries(), settings.retryBackoffMs(),
                settings.retryBackoffMaxMs(), settings.deliveryTimeoutMs(), settings.maxBlockMs(),
                settings.maxInFlightRequestsPerConnection() == 1, settings.enableIdempotence(), settings.lingerMs(),
                settings.deliveryTimingsEnable(), events);
        InFlightBatches inFlight = new InFlightBatches();
        TransactionManager transactions = settings.transactionalId() == null ? null
                : new TransactionManager(settings.transactionalId(), settings.transactionTimeoutMs(), time);
        ProducerIdentity identity = transactions == null
                ? ProducerIdentity.create(senderSettings, client, inFlight, accumulator, pending, outcomes, time)
                : ProducerIdentity.transactional(senderSettings, transactions, client, inFlight, accumulator, pending,
                        outcomes, time);
        Sender sender = new Sender(client, metadata, accumulator, pending, partitioner, outcomes, senderSettings,
                metrics, time, identity, inFlight);
        senderRef[0] = sender;
        Thread ioThread = new Thread(sender, "courier-producer-network-" + settings.clientId());
        ioThread.setDaemon(true);
        return new ProducerRuntime(metadata, compression, pool, accumulator, dispatcher, metrics, outcomes, sender,
                client, ioThread, transactions, recordLimit, capacity, events);
    }

    private static NetworkClientConfig networkConfig(ProducerSettings settings) {
        return new NetworkClientConfig(settings.clientId(), settings.maxInFlightRequestsPerConnection(),
                settings.reconnectBackoffMs(), settings.reconnectBackoffMaxMs(), settings.requestTimeoutMs(),
                settings.socketConnectionSetupTimeoutMs(), settings.socketConnectionSetupTimeoutMaxMs(),
                settings.connectionsMaxIdleMs(), settings.retryBackoffMs(), settings.retryBackoffMaxMs(),
                settings.allowAutoCreateTopics(), "courier-java", "0.1.0");
    }

    public Metadata metadata() {
        return metadata;
    }

    public BufferPool pool() {
        return pool;
    }

    public RecordAccumulator accumulator() {
        return accumulator;
    }

    public CompletionDispatcher dispatcher() {
        return dispatcher;
    }

    public ProducerMetrics metrics() {
        return metrics;
    }

    /** The one path every record's ending takes, with the counts behind metrics() and status(). */
    public BatchOutcomes outcomes() {
        return outcomes;
    }

    public Sender sender() {
        return sender;
    }

    /** The broker connections as the network thread last published them; safe from any thread. */
    public List<NodeConnection> connections() {
        return client.connections();
    }

    /** The transaction state machine, or null when {@code transactional.id} is not set. */
    public TransactionManager transactions() {
        return transactions;
    }

    /** max.buffered.records, or null when it is off. */
    public RecordLimit recordLimit() {
        return recordLimit;
    }

    public CapacitySignal capacity() {
        return capacity;
    }

    /**
     * Delivers what was accepted for up to {@code timeout}, then aborts the rest, and waits for the
     * callbacks of everything to run (unless called from a callback, which cannot wait for itself).
     */
    public void close(Duration timeout, boolean fromCallback) {
        try {
            accumulator.close();
            sender.initiateClose();
            joinQuietly(ioThread, timeout.toMillis());
            if (ioThread.isAlive()) {
                log.info("Close timed out after {} ms; aborting what is still pending", timeout.toMillis());
                sender.forceClose();
                pool.close();
                joinQuietly(ioThread, FORCED_CLOSE_GRACE_MS);
                if (ioThread.isAlive()) {
                    log.error("The network thread did not stop within {} ms of a forced close", FORCED_CLOSE_GRACE_MS);
                }
            }
            pool.close();
            if (recordLimit != null) {
                recordLimit.close();
            }
            if (!ioThread.isAlive()) {
                compression.close(); // only the sender thread compresses
            }
            dispatcher.stop(fromCallback ? 0 : FORCED_CLOSE_GRACE_MS);
            capacity.close();
            metadata.close();
            events.close();
        } finally {
            closedLatch.countDown();
        }
    }

    /** For a second caller of close: returns once the first has finished. */
    public void awaitClosed() {
        try {
            closedLatch.await(FORCED_CLOSE_GRACE_MS * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void joinQuietly(Thread thread, long timeoutMs) {
        try {
            if (timeoutMs <= 0) {
                return;
            }
            thread.join(timeoutMs == Long.MAX_VALUE ? 0 : timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
