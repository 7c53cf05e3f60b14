package dev.courier.producer;

import dev.courier.producer.errors.AuthenticationException;
import dev.courier.producer.errors.ConfigException;
import dev.courier.producer.errors.CourierException;
import dev.courier.producer.errors.SaslAuthenticationException;
import dev.courier.producer.errors.TimeoutException;
import dev.courier.producer.internals.BufferedRecords;
import dev.courier.producer.internals.ProducerRuntime;
import dev.courier.producer.internals.SendPath;
import dev.courier.producer.internals.TransactionCalls;
import dev.courier.producer.internals.accumulator.PendingRecords;
import dev.courier.producer.internals.admission.CapacitySignal;
import dev.courier.producer.internals.completion.CompletionDispatcher;
import dev.courier.producer.internals.config.Plugins;
import dev.courier.producer.internals.config.ProducerSettings;
import dev.courier.producer.internals.metadata.Cluster;
import dev.courier.producer.internals.metadata.Metadata;
import dev.courier.producer.internals.metrics.DeliveryCounts;
import dev.courier.producer.internals.metrics.ProducerMetrics;
import dev.courier.producer.internals.partition.RecordPartitioner;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.sender.BatchOutcomes;
import dev.courier.producer.internals.sender.Sender;
import dev.courier.producer.internals.util.Time;
import dev.courier.producer.serialization.Serializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Courier's Kafka producer.
 *
 * <p>Configured with Kafka's own producer keys (see {@link ProducerConfig}); construction fails with a
 * {@link ConfigException} naming the key when a setting cannot work. Two threads of its own: the
 * sender (all network I/O) and the callback thread (futures and callbacks, in send order per
 * partition). {@link #send} never waits for metadata: a record for a topic not yet known waits
 * inside the producer, charged to {@code buffer.memory}, for up to {@code max.block.ms}.
 */
public final class CourierProducer<K, V> implements Producer<K, V> {

    private static final Logger log = LoggerFactory.getLogger(CourierProducer.class);

    private final ProducerSettings settings;
    private final Time time;
    // The plugins: loaded here and closed here; the send path and the completion thread call them.
    private final Serializer<K> keySerializer;
    private final Serializer<V> valueSerializer;
    private final List<ProducerInterceptor<K, V>> interceptors;
    private final RecordPartitioner partitioner;
    private final ProducerRuntime runtime;
    private final Metadata metadata;
    private final CompletionDispatcher dispatcher;
    private final Sender sender;
    private final ProducerMetrics metrics;
    private final BatchOutcomes outcomes;
    private final CapacitySignal capacity;
    private final SendPath<K, V> sendPath;
    private final BufferedRecords bufferedRecords;
    /** Null unless {@code transactional.id} is set. */
    private final TransactionCalls transactions;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object metadataMonitor = new Object();
    /** Monotonic time of the last applied metadata update, -1 before the first; written by the sender thread. */
    private volatile long lastMetadataUpdateMs = -1;

    /** A producer whose serializers come from {@code key.serializer} and {@code value.serializer}. */
    public CourierProducer(Map<String, ?> configs) {
        this(ProducerSettings.from(configs), null, null, Time.SYSTEM);
    }

    public CourierProducer(Properties properties) {
        this(ProducerSettings.from(properties), null, null, Time.SYSTEM);
    }

    /**
     * A producer with serializer instances, which take precedence over the serializer keys. As in Kafka,
     * instances are used as given: their {@code configure} is not called.
     */
    public CourierProducer(Map<String, ?> configs, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        this(ProducerSettings.from(configs), keySerializer, valueSerializer, Time.SYSTEM);
    }

    public CourierProducer(Properties properties, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        this(ProducerSettings.from(properties), keySerializer, valueSerializer, Time.SYSTEM);
    }

    @SuppressWarnings("unchecked")
    CourierProducer(ProducerSettings settings, Serializer<K> keySerializer, Serializer<V> valueSerializer, Time time) {
        this.settings = settings;
        this.time = time;
        Map<String, Object> originals = settings.originals();
        Plugins plugins = new Plugins();
        this.keySerializer = keySerializer != null ? keySerializer
                : (Serializer<K>) plugins.serializer(settings.keySerializer(), originals, true);
        this.valueSerializer = valueSerializer != null ? valueSerializer
                : (Serializer<V>) plugins.serializer(settings.valueSerializer(), originals, false);
        List<ProducerInterceptor<?, ?>> loaded = plugins.interceptors(settings.interceptorClasses(), originals);
        this.interceptors = (List<ProducerInterceptor<K, V>>) (List<?>) loaded;
        this.partitioner = new RecordPartitioner(plugins.partitioner(settings.partitionerClass(), originals),
                settings.batchSize(), settings.partitionerIgnoreKeys());
        PendingRecords pending = new PendingRecords();
        try {
            this.runtime = ProducerRuntime.start(settings, time, pending, partitioner, this::onRecordCompleted,
                    this::onMetadataUpdate);
        } catch (RuntimeException e) {
            closePlugins();
            throw e;
        }
        this.metadata = runtime.metadata();
        this.dispatcher = runtime.dispatcher();
        this.sender = runtime.sender();
        this.metrics = runtime.metrics();
        this.outcomes = runtime.outcomes();
        this.capacity = runtime.capacity();
        this.sendPath = new SendPath<>(settings, time, runtime, pending, partitioner, this.keySerializer,
                this.valueSerializer, interceptors);
        this.bufferedRecords = new BufferedRecords(settings, runtime, pending);
        this.transactions = runtime.transactions() == null ? null
                : new TransactionCalls(settings, time, runtime, pending);
        log.info("Courier producer {} started (acks={}, linger.ms={}, batch.size={}, compression.type={})",
                settings.clientId(), settings.acks() == -1 ? "all" : settings.acks(), settings.lingerMs(),
                settings.batchSize(), settings.compressionType());
    }

    @Override
    public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record) {
        return send(record, null);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Throws only for misuse: {@code NullPointerException} for a null record, {@code IllegalStateException}
     * once the producer is closed, and, for a transactional producer, outside a transaction. Every other failure (a serializer or partitioner that throws, a record too
     * large, no buffer memory within {@code max.block.ms}, an interrupt) fails the returned future and runs
     * the callback, on the callback thread like every other outcome, and counts in {@code status()} and
     * {@code metrics()}.
     */
    @Override
    public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
        checkSendable(record);
        return sendPath.send(record, callback);
    }

    @Override
    public CompletableFuture<RecordMetadata> trySend(ProducerRecord<K, V> record) {
        return trySend(record, null);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The only difference from {@code send} is that nothing waits: memory and record slots are taken with a
     * zero wait, which fails when blocked {@code send} callers are queued (so a {@code trySend} never overtakes
     * them). The failed future is completed before this returns; the callback and interceptors still run on the
     * callback thread, through the same outcome path as every other failure.
     */
    @Override
    public CompletableFuture<RecordMetadata> trySend(ProducerRecord<K, V> record, Callback callback) {
        checkSendable(record);
        return sendPath.trySend(record, callback);
    }

    /**
     * For {@link ProducerProcessor}: as {@code trySend}, except that a record refused for lack of room is not
     * failed (nor counted, nor shown to interceptors' onAcknowledgement): the caller keeps it and offers it
     * again once there is room. Each offer serializes the record again and shows it to interceptors' onSend.
     *
     * @return 0 when the record was taken (the callback will run), else the bytes of room it needed (at least 1;
     *         the callback will not run)
     */
    long offer(ProducerRecord<K, V> record, Callback callback) {
        checkSendable(record);
        return sendPath.offer(record, callback);
    }

    private void checkSendable(ProducerRecord<K, V> record) {
        Objects.requireNonNull(record, "record must not be null");
        if (closed.get()) {
            throw new IllegalStateException("Cannot send after the producer is closed");
        }
    }

    /** Interceptors then the user's callback; nothing they throw escapes. Completion thread. */
    private void onRecordCompleted(RecordMetadata metadata, Exception exception, Callback callback) {
        // Indexed: iterating even an empty List.of() allocates an iterator, once per record here.
        for (int i = 0, n = interceptors.size(); i < n; i++) {
            ProducerInterceptor<K, V> interceptor = interceptors.get(i);
            try {
                interceptor.onAcknowledgement(metadata, exception);
            } catch (RuntimeException e) {
                log.warn("Interceptor {} failed in onAcknowledgement", interceptor.getClass().getName(), e);
            }
        }
        if (callback != null) {
            try {
                callback.onCompletion(metadata, exception);
            } catch (Throwable t) {
                log.error("A send callback threw; the producer carries on", t);
            }
        }
    }

    private void onMetadataUpdate() {
        lastMetadataUpdateMs = time.monotonicMs();
        synchronized (metadataMonitor) {
            metadataMonitor.notifyAll();
        }
    }

    /**
     * A {@link java.util.concurrent.Flow.Processor} that sends the records it receives through this producer,
     * requesting more only as the producer has room, and publishes each record's outcome in order; at most
     * {@link ProducerProcessor#DEFAULT_MAX_OUTSTANDING} records received and not yet published.
     */
    public ProducerProcessor<K, V> processor() {
        return processor(ProducerProcessor.DEFAULT_MAX_OUTSTANDING);
    }

    /** As {@link #processor()} with at most {@code maxOutstanding} records received and not yet published. */
    public ProducerProcessor<K, V> processor(int maxOutstanding) {
        return new ProducerProcessor<>(new Sink(), maxOutstanding);
    }

    /** This producer as the processor sees it: {@link #offer}, which neither blocks nor fails for lack of room. */
    private final class Sink implements RecordSink<K, V> {

        @Override
        public long offer(ProducerRecord<K, V> record, Callback callback) {
            return CourierProducer.this.offer(record, callback);
        }

        @Override
        public ProducerCapacity capacity() {
            return CourierProducer.this.capacity();
        }

        @Override
        public CompletionStage<Void> whenCapacity(long bytes) {
            long atMost = Math.min(settings.bufferMemory(), Integer.MAX_VALUE);
            return CourierProducer.this.whenCapacity((int) Math.min(bytes, atMost));
        }
    }

    @Override
    public ProducerCapacity capacity() {
        return capacity.now();
    }

    /** {@inheritDoc} Why the callback thread: the room comes back on the network thread, which must not run user code. */
    @Override
    public CompletionStage<Void> whenCapacity(int bytes) {
        if (closed.get()) {
            throw new IllegalStateException("Cannot wait for capacity after the producer is closed");
        }
        return capacity.when(bytes);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The network thread does the purge at the start of its next turn, before it drains anything: it is the
     * only thread that takes batches from their queues, so a batch it finds never sent cannot be on its way
     * into a request. Records a {@code send} is still blocked adding are not buffered yet and are not purged.
     * If this times out, the purge still happens; only its count is lost.
     */
    @Override
    public int purge() {
        if (closed.get()) {
            throw new IllegalStateException("Cannot purge after the producer is closed");
        }
        return bufferedRecords.purge();
    }

    @Override
    public void flush() {
        if (dispatcher.isCompletionThread()) {
            throw new IllegalStateException("flush() from a callback would wait for that callback itself");
        }
        bufferedRecords.flush();
    }

    @Override
    public void initTransactions() {
        transactional("initTransactions()").initTransactions();
    }

    @Override
    public void beginTransaction() {
        transactional("beginTransaction()").beginTransaction();
    }

    @Override
    public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets,
                                         ConsumerGroupMetadata groupMetadata) {
        Objects.requireNonNull(offsets, "offsets must not be null");
        Objects.requireNonNull(groupMetadata, "groupMetadata must not be null");
        transactional("sendOffsetsToTransaction()").sendOffsets(offsets, groupMetadata);
    }

    /**
     * Commits once every record of the transaction is acknowledged. The commit is requested before the flush, so
     * the sender thread sends EndTxn as soon as the last record is acknowledged, without a round trip through
     * this thread; a record that fails meanwhile makes the commit fail instead. Returns when the records'
     * futures have completed too.
     */
    @Override
    public void commitTransaction() {
        transactional("commitTransaction()").commit();
    }

    @Override
    public void abortTransaction() {
        transactional("abortTransaction()").abort();
    }

    private TransactionCalls transactional(String call) {
        if (transactions == null) {
            throw new IllegalStateException(call + " needs a transactional producer: set transactional.id");
        }
        if (closed.get()) {
            throw new IllegalStateException("Cannot call " + call + " after the producer is closed");
        }
        if (dispatcher.isCompletionThread()) {
            throw new IllegalStateException(call + " from a callback would wait for that callback itself");
        }
        return transactions;
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        Objects.requireNonNull(topic, "topic must not be null");
        if (closed.get()) {
            throw new IllegalStateException("Cannot use the producer after it is closed");
        }
        long start = time.monotonicMs();
        long deadline = start + settings.maxBlockMs();
        metadata.add(topic, start);
        while (true) {
            Cluster cluster = metadata.fetch();
            Integer count = cluster.partitionCountForTopic(topic);
            if (count != null && count > 0) {
                return cluster.partitionsForTopic(topic);
            }
            Errors error = metadata.topicError(topic);
            if (error == Errors.INVALID_TOPIC_EXCEPTION || error == Errors.TOPIC_AUTHORIZATION_FAILED) {
                throw error.toException("cannot describe topic " + topic);
            }
            RuntimeException authenticationFailure = metadata.authenticationFailure();
            if (authenticationFailure instanceof AuthenticationException) {
                String message = "Cannot describe topic " + topic + ": " + authenticationFailure.getMessage();
                throw authenticationFailure instanceof SaslAuthenticationException
                        ? new SaslAuthenticationException(message, authenticationFailure)
                        : new AuthenticationException(message, authenticationFailure);
            }
            long remaining = deadline - time.monotonicMs();
            if (remaining <= 0) {
                throw new TimeoutException("Topic " + topic + " not present in metadata after "
                        + settings.maxBlockMs() + " ms (max.block.ms).");
            }
            metadata.requestUpdateForTopic(topic);
            sender.wakeup();
            synchronized (metadataMonitor) {
                try {
                    metadataMonitor.wait(Math.min(remaining, 50));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CourierException("Interrupted while waiting for metadata of topic " + topic, e);
                }
            }
        }
    }

    @Override
    public Map<String, Metric> metrics() {
        return metrics.asMap();
    }

    /**
     * Outcome counts, metadata freshness and broker connections right now; cheap, callable from any thread at
     * any time.
     */
    public ProducerStatus status() {
        DeliveryCounts counts = outcomes.counts();
        Cluster cluster = metadata.fetch();
        long updatedAt = lastMetadataUpdateMs;
        boolean known = !cluster.isBootstrapConfigured() && updatedAt >= 0;
        long nowMs = time.monotonicMs();
        List<BrokerConnection> connections = runtime.connections().stream()
                .map(connection -> connection.toBrokerConnection(nowMs)).toList();
        return new ProducerStatus(counts.acknowledged(), counts.failed(), counts.abortedBeforeSend(),
                counts.abortedInFlight(), known ? cluster.nodes().size() : 0,
                known ? Math.max(0, nowMs - updatedAt) : -1, closed.get(),
                settings.metadataMaxAgeMs(), settings.requestTimeoutMs(), connections);
    }

    @Override
    public void close() {
        close(Duration.ofMillis(Long.MAX_VALUE));
    }

    @Override
    public void close(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        boolean fromCallback = dispatcher.isCompletionThread();
        if (fromCallback && !timeout.isZero()) {
            log.warn("close() called from a callback: closing forcibly, since waiting would wait for the callback");
            timeout = Duration.ZERO;
        }
        if (!closed.compareAndSet(false, true)) {
            runtime.awaitClosed();
            return;
        }
        runtime.close(timeout, fromCallback);
        closePlugins();
        log.info("Courier producer {} closed: {}", settings.clientId(), outcomes.counts());
    }

    private void closePlugins() {
        closeQuietly(keySerializer);
        closeQuietly(valueSerializer);
        for (ProducerInterceptor<K, V> interceptor : interceptors) {
            closeQuietly(interceptor);
        }
        partitioner.close();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("Failed to close {}", closeable.getClass().getName(), e);
        }
    }
}
