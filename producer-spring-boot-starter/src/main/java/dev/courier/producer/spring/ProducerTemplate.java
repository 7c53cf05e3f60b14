package dev.courier.producer.spring;

import dev.courier.producer.Callback;
import dev.courier.producer.ConsumerGroupMetadata;
import dev.courier.producer.CourierProducer;
import dev.courier.producer.OffsetAndMetadata;
import dev.courier.producer.Producer;
import dev.courier.producer.ProducerRecord;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.SendOutcome;
import dev.courier.producer.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records through the application's {@link ManagedProducer} and reports each outcome three ways:
 * the returned {@link SendResult} future, the {@link ProducerListener}, and every {@link SendObserver}
 * (meters, observations). Thread-safe; share one instance.
 *
 * <p>All three are told on one path, the producer's callback: observers and listener first, the future
 * last, so a caller that joins the future sees the listener's effects.
 *
 * <p>Per send the template allocates only the returned future (which is also the producer's callback, see
 * {@link SendFuture}) and, on success, its {@link SendResult}; observers add their own, plus an
 * {@link OutgoingHeaders} when one of them can write headers (see {@link SendObservers}). When an observer adds
 * headers (the trace context, with a tracer present), the record sent, and reported in the {@code SendResult}
 * and to the listener, is a copy of the caller's with them.
 */
public class ProducerTemplate<K, V> implements ProducerOperations<K, V> {

    private static final Logger log = LoggerFactory.getLogger(ProducerTemplate.class);

    private final ManagedProducer<K, V> producer;
    private final String defaultTopic;
    private final ProducerListener<K, V> listener;
    private final SendObservers observers;
    /** Null unless transactional ({@code courier.producer.transaction-id-prefix}). */
    private final TemplateTransactions<K, V> transactions;

    /**
     * @param defaultTopic topic of {@code sendDefault}, or null
     * @param listener     told about every outcome, or null
     * @param observers    see every send, in order
     */
    public ProducerTemplate(ManagedProducer<K, V> producer, String defaultTopic, ProducerListener<K, V> listener,
                            List<SendObserver> observers) {
        this(producer, defaultTopic, listener, observers, null);
    }

    /**
     * A transactional template when {@code transactions} is not null: sends use the producer of the transaction
     * in progress ({@link #executeInTransaction}, a Courier transaction manager's, or one synchronized with
     * another transaction manager's), and {@code producer} only where non-transactional sends are allowed.
     */
    public ProducerTemplate(ManagedProducer<K, V> producer, String defaultTopic, ProducerListener<K, V> listener,
                            List<SendObserver> observers, TemplateTransactions<K, V> transactions) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.defaultTopic = defaultTopic;
        this.listener = listener;
        this.observers = new SendObservers(observers);
        this.transactions = transactions;
    }

    public ProducerTemplate(ManagedProducer<K, V> producer) {
        this(producer, null, null, List.of());
    }

    @Override
    public CompletableFuture<SendResult<K, V>> send(String topic, V value) {
        return send(new ProducerRecord<>(topic, value));
    }

    @Override
    public CompletableFuture<SendResult<K, V>> send(String topic, K key, V value) {
        return send(new ProducerRecord<>(topic, key, value));
    }

    @Override
    public CompletableFuture<SendResult<K, V>> send(String topic, Integer partition, K key, V value) {
        return send(new ProducerRecord<>(topic, partition, key, value));
    }

    @Override
    public CompletableFuture<SendResult<K, V>> sendDefault(V value) {
        return send(new ProducerRecord<>(requireDefaultTopic(), value));
    }

    @Override
    public CompletableFuture<SendResult<K, V>> sendDefault(K key, V value) {
        return send(new ProducerRecord<>(requireDefaultTopic(), key, value));
    }

    private String requireDefaultTopic() {
        if (defaultTopic == null || defaultTopic.isBlank()) {
            throw new IllegalStateException("No default topic: set courier.producer.default-topic to use sendDefault");
        }
        return defaultTopic;
    }

    /** Whether sends take part in transactions ({@code courier.producer.transaction-id-prefix} is set). */
    public boolean isTransactional() {
        return transactions != null;
    }

    /**
     * Runs {@code callback} in a new Courier transaction and commits it when the callback returns, returning
     * its result. When the callback (or the commit) throws, the transaction is aborted and the exception
     * rethrown; the template stays usable either way. Sends made through the operations passed in (or through
     * this template on this thread) belong to the transaction.
     *
     * @throws IllegalStateException when the template is not transactional
     */
    public <T> T executeInTransaction(Function<ProducerOperations<K, V>, T> callback) {
        Objects.requireNonNull(callback, "callback");
        if (transactions == null) {
            throw new IllegalStateException("The template is not transactional: set courier.producer."
                    + "transaction-id-prefix to use executeInTransaction");
        }
        return transactions.executeInTransaction(this, callback);
    }

    /** The topic of {@code sendDefault}, or null. */
    public String defaultTopic() {
        return defaultTopic;
    }

    @Override
    public CompletableFuture<SendResult<K, V>> send(ProducerRecord<K, V> record) {
        return dispatch(record, false);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Observed and reported like {@code send}: a record refused for lack of room reaches the observers
     * (as a failure) and the listener's {@code onError}.
     */
    @Override
    public CompletableFuture<SendResult<K, V>> trySend(ProducerRecord<K, V> record) {
        return dispatch(record, true);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Observers see each record from its arrival to its outcome's publication: their timers include waiting
     * for buffer room (as {@code send}'s include blocking for memory) and for the earlier records' outcomes
     * (outcomes are published in order), and the trace context goes into each record's headers. The listener
     * is told each outcome as it is published. Records whose outcome is never published because the
     * subscriber cancelled end their observation with a {@link java.util.concurrent.CancellationException},
     * and the listener is not told about them (their fate is unknown to the template).
     *
     * <p>In a transaction, each record is checked before it is sent: once the transaction has ended, the stream
     * ends with an {@link IllegalStateException} instead of sending more with the transaction's producer.
     */
    @Override
    public Flow.Publisher<SendOutcome<K, V>> sendAll(Flow.Publisher<ProducerRecord<K, V>> records) {
        Objects.requireNonNull(records, "records must not be null");
        Producer<K, V> target = transactions != null ? transactions.producerFor(null) : producer.producerFor(null);
        if (!(target instanceof CourierProducer<K, V> courier)) {
            throw new UnsupportedOperationException("sendAll needs a CourierProducer, the producer is a "
                    + target.getClass().getName());
        }
        BooleanSupplier transactionOpen = transactions != null ? transactions.currentTransactionOpen() : null;
        return new OutcomePublisher<>(this, courier, records, transactionOpen);
    }

    private CompletableFuture<SendResult<K, V>> dispatch(ProducerRecord<K, V> record, boolean tryOnly) {
        Objects.requireNonNull(record, "record must not be null");
        Producer<K, V> target;
        try {
            target = transactions != null ? transactions.producerFor(record) : producer.producerFor(record);
        } catch (RuntimeException e) {
            notifyError(record, null, e);
            throw e;
        }
        // Observers may add headers (trace context): they must be in the record before the producer serializes
        // it, so the record sent (and reported) may be a copy of the caller's.
        OutgoingHeaders headers = observers.newHeaders();
        SendObserver.Completion observation = observers.start(record, headers);
        if (headers != null) {
            record = headers.applyTo(record);
        }
        SendFuture<K, V> result = new SendFuture<>(this, record, observation);
        try {
            if (tryOnly) {
                target.trySend(record, result);
            } else {
                target.send(record, result);
            }
        } catch (RuntimeException e) {
            // Refused before acceptance: the callback never runs, so end everything here.
            RuntimeException thrown = e instanceof IllegalStateException && !producer.isAccepting()
                    ? producer.stopped(record) : e;
            SendObservers.end(observation, null, thrown);
            notifyError(record, null, thrown);
            throw thrown;
        }
        return result;
    }

    /** The one completion path: observers, then the listener, and the future last whatever they do. */
    private void complete(ProducerRecord<K, V> record, RecordMetadata metadata, Exception exception,
                          SendObserver.Completion observation, CompletableFuture<SendResult<K, V>> result) {
        try {
            SendObservers.end(observation, exception == null ? metadata : null, exception);
            if (exception == null) {
                notifySuccess(record, metadata);
            } else {
                notifyError(record, metadata, exception);
            }
        } finally {
            if (exception == null) {
                result.complete(new SendResult<>(record, metadata));
            } else {
                result.completeExceptionally(exception);
            }
        }
    }

    /** Whether a {@link ProducerListener} is told about outcomes. */
    boolean listening() {
        return listener != null;
    }

    /** This template's observers (for {@link OutcomePublisher}): records need no per-send observer work if empty. */
    SendObservers observers() {
        return observers;
    }

    void notifySuccess(ProducerRecord<K, V> record, RecordMetadata metadata) {
        if (listener != null) {
            try {
                listener.onSuccess(record, metadata);
            } catch (RuntimeException e) {
                log.warn("ProducerListener.onSuccess failed", e);
            }
        }
    }

    void notifyError(ProducerRecord<K, V> record, RecordMetadata metadata, Exception exception) {
        if (listener != null) {
            try {
                listener.onError(record, metadata, exception);
            } catch (RuntimeException e) {
                log.warn("ProducerListener.onError failed", e);
            }
        }
    }

    @Override
    public void flush() {
        Producer<K, V> inTransaction = transactions != null ? transactions.currentProducer() : null;
        if (inTransaction != null) {
            inTransaction.flush();
            return;
        }
        producer.flush();
    }

    @Override
    public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets,
                                         ConsumerGroupMetadata groupMetadata) {
        Objects.requireNonNull(offsets, "offsets must not be null");
        Objects.requireNonNull(groupMetadata, "groupMetadata must not be null");
        if (transactions == null) {
            throw new IllegalStateException("sendOffsetsToTransaction needs a transactional template: set "
                    + "courier.producer.transaction-id-prefix");
        }
        Producer<K, V> inTransaction = transactions.transactionProducer();
        if (inTransaction == null) {
            throw new IllegalStateException("sendOffsetsToTransaction outside a transaction: call it inside "
                    + "executeInTransaction, a @Transactional method or a TransactionTemplate");
        }
        inTransaction.sendOffsetsToTransaction(offsets, groupMetadata);
    }

    /**
     * The future a send returns, doubling as the producer's {@link Callback}: one object per send instead of a
     * future plus a capturing lambda. Completed on the producer's callback thread through
     * {@link #complete}. Dependent stages ({@code thenApply}, ...) are plain {@link CompletableFuture}s.
     */
    private static final class SendFuture<K, V> extends CompletableFuture<SendResult<K, V>> implements Callback {

        private final ProducerTemplate<K, V> template;
        private final ProducerRecord<K, V> record;
        /** Null when unobserved. */
        private final SendObserver.Completion observation;

        SendFuture(ProducerTemplate<K, V> template, ProducerRecord<K, V> record,
                   SendObserver.Completion observation) {
            this.template = template;
            this.record = record;
            this.observation = observation;
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            template.complete(record, metadata, exception, observation, this);
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>();
        }
    }
}
