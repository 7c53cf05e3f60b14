package dev.courier.producer.internals;

import dev.courier.producer.Callback;
import dev.courier.producer.CourierProducer;
import dev.courier.producer.Header;
import dev.courier.producer.ProducerInterceptor;
import dev.courier.producer.ProducerRecord;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.errors.BufferExhaustedException;
import dev.courier.producer.errors.CourierException;
import dev.courier.producer.errors.RecordTooLargeException;
import dev.courier.producer.errors.SerializationException;
import dev.courier.producer.internals.accumulator.BufferPool;
import dev.courier.producer.internals.accumulator.PendingRecords;
import dev.courier.producer.internals.accumulator.RecordAccumulator;
import dev.courier.producer.internals.admission.RecordLimit;
import dev.courier.producer.internals.config.ProducerSettings;
import dev.courier.producer.internals.metadata.Cluster;
import dev.courier.producer.internals.metadata.Metadata;
import dev.courier.producer.internals.partition.RecordPartitioner;
import dev.courier.producer.internals.partition.TopicPartitionCache;
import dev.courier.producer.internals.record.RecordBatchBuilder;
import dev.courier.producer.internals.sender.BatchOutcomes;
import dev.courier.producer.internals.sender.Sender;
import dev.courier.producer.internals.transaction.TransactionManager;
import dev.courier.producer.internals.util.Time;
import dev.courier.producer.serialization.Serializer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send path: takes one record from {@code send}, {@code trySend} or the processor's offer to a batch, or to
 * the records waiting for their topic's metadata. In order: the transaction check, interceptors' onSend, the
 * serializers, the size check, the partition, a {@code max.buffered.records} slot, then buffer memory. A record
 * refused on the way fails its future and runs its callback through the outcome path, like every other outcome.
 *
 * <p>Runs on the callers' threads, any number at once. Its only state of its own is the topic-partition cache,
 * which is thread-safe; the serializers and interceptors belong to {@link CourierProducer} (which loads and closes
 * them), the engine parts to {@link ProducerRuntime}. One call per record: nothing here allocates beyond what the
 * record itself needs. The facade checks for a null record and a closed producer before calling in.
 */
public final class SendPath<K, V> {

    /** The facade's logger, so that log settings made for {@code CourierProducer} still cover these messages. */
    private static final Logger log = LoggerFactory.getLogger(CourierProducer.class);

    private final ProducerSettings settings;
    private final Time time;
    private final Serializer<K> keySerializer;
    private final Serializer<V> valueSerializer;
    private final List<ProducerInterceptor<K, V>> interceptors;
    private final RecordPartitioner partitioner;
    private final Metadata metadata;
    private final BufferPool pool;
    private final RecordAccumulator accumulator;
    private final PendingRecords pending;
    private final Sender sender;
    private final BatchOutcomes outcomes;
    /** Null unless {@code transactional.id} is set. */
    private final TransactionManager transactions;
    /** max.buffered.records, or null when it is off (then the send path pays one null check). */
    private final RecordLimit recordLimit;
    private final TopicPartitionCache topicPartitions = new TopicPartitionCache();

    public SendPath(ProducerSettings settings, Time time, ProducerRuntime runtime, PendingRecords pending,
                    RecordPartitioner partitioner, Serializer<K> keySerializer, Serializer<V> valueSerializer,
                    List<ProducerInterceptor<K, V>> interceptors) {
        this.settings = settings;
        this.time = time;
        this.keySerializer = keySerializer;
        this.valueSerializer = valueSerializer;
        this.interceptors = interceptors;
        this.partitioner = partitioner;
        this.pending = pending;
        this.metadata = runtime.metadata();
        this.pool = runtime.pool();
        this.accumulator = runtime.accumulator();
        this.sender = runtime.sender();
        this.outcomes = runtime.outcomes();
        this.transactions = runtime.transactions();
        this.recordLimit = runtime.recordLimit();
    }

    /** {@code send}: waits up to {@code max.block.ms} for room; throws only for a send outside a transaction. */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
        CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
        try {
            return append(record, callback, future, settings.maxBlockMs());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return reject(future, callback, new CourierException("Interrupted while waiting for buffer memory", e));
        } catch (CourierException e) {
            return reject(future, callback, e);
        }
    }

    /** {@code trySend}: no wait; a record refused for lack of room has its future failed before this returns. */
    public CompletableFuture<RecordMetadata> trySend(ProducerRecord<K, V> record, Callback callback) {
        CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
        try {
            return append(record, callback, future, 0);
        } catch (BufferExhaustedException e) {
            future.completeExceptionally(e); // so the caller sees it now; the outcome path's completion is a no-op
            return reject(future, callback, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return reject(future, callback, new CourierException("Interrupted while sending", e));
        } catch (CourierException e) {
            return reject(future, callback, e);
        }
    }

    /**
     * The processor's offer: as {@link #trySend}, except that a record refused for lack of room is not failed (nor
     * counted, nor shown to interceptors' onAcknowledgement): the caller keeps it and offers it again.
     *
     * @return 0 when the record was taken (the callback will run), else the bytes of room it needed (at least 1;
     *         the callback will not run)
     */
    public long offer(ProducerRecord<K, V> record, Callback callback) {
        CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
        try {
            append(record, callback, future, 0);
        } catch (BufferExhaustedException e) {
            return Math.max(1, e.requestedBytes());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reject(future, callback, new CourierException("Interrupted while sending", e));
        } catch (CourierException e) {
            reject(future, callback, e);
        }
        return 0;
    }

    private CompletableFuture<RecordMetadata> append(ProducerRecord<K, V> record, Callback callback,
                                                     CompletableFuture<RecordMetadata> future, long maxBlockMs)
            throws InterruptedException {
        if (transactions != null) { // here, so that send, trySend and the processor's offers all check
            RuntimeException failed = transactions.checkSend(); // throws outside a transaction
            if (failed != null) {
                return reject(future, callback, failed);
            }
        }
        ProducerRecord<K, V> intercepted = interceptors.isEmpty() ? record : interceptOnSend(record);
        String topic = intercepted.topic();
        byte[] keyBytes = serialize(keySerializer, topic, intercepted, intercepted.key(), "key");
        byte[] valueBytes = serialize(valueSerializer, topic, intercepted, intercepted.value(), "value");
        long timestamp = intercepted.timestamp() != null ? intercepted.timestamp() : time.milliseconds();
        List<Header> headers = intercepted.headers();

        int size = RecordBatchBuilder.estimateBatchSizeUpperBound(keyBytes, valueBytes, headers);
        if (size > settings.maxRequestSize() || size > settings.bufferMemory()) {
            return reject(future, callback, new RecordTooLargeException("The record is " + size
                    + " bytes when serialized, which is larger than " + (size > settings.maxRequestSize()
                    ? "max.request.size (" + settings.maxRequestSize() + ")"
                    : "buffer.memory (" + settings.bufferMemory() + ")")));
        }
        if (!pending.hasPending(topic)) {
            Cluster cluster = metadata.fetch();
            int partition;
            try {
                partition = partitioner.partition(topic, intercepted.partition(), intercepted.key(), keyBytes,
                        intercepted.value(), valueBytes, cluster);
            } catch (RuntimeException e) {
                // As when the sender partitions a record that waited for metadata: the future says it.
                return reject(future, callback, e);
            }
            if (partition != RecordPartitioner.UNKNOWN) {
                takeSlot(maxBlockMs);
                RecordAccumulator.AppendResult result;
                try {
                    result = accumulator.append(topicPartitions.get(topic, partition), timestamp, keyBytes, valueBytes,
                            headers, future, callback, maxBlockMs);
                } catch (InterruptedException | RuntimeException e) {
                    giveSlotBack(); // not appended: the slot is not the outcome path's to release
                    throw e;
                }
                if (partitioner.usesSticky(intercepted.partition(), keyBytes)) {
                    partitioner.onAppend(topic, partition, size - RecordBatchBuilder.BATCH_HEADER_SIZE,
                            result.batchIsFull(), cluster);
                }
                if (result.batchIsFull() || result.newBatchCreated()) {
                    sender.wakeup();
                }
                return future;
            }
        }
        // The topic's metadata is not known yet (or earlier records of it still wait): queue it.
        long now = time.monotonicMs();
        takeSlot(maxBlockMs);
        try {
            pool.reserve(size, maxBlockMs);
        } catch (InterruptedException | RuntimeException e) {
            giveSlotBack();
            throw e;
        }
        pending.add(new PendingRecords.Pending(topic, intercepted.partition(), timestamp, intercepted.key(),
                intercepted.value(), keyBytes, valueBytes, headers, future, callback, size, now));
        metadata.add(topic, now);
        metadata.requestUpdateForTopic(topic);
        sender.wakeup();
        return future;
    }

    /** A max.buffered.records slot for the record about to be accepted; nothing when the limit is off. */
    private void takeSlot(long maxBlockMs) throws InterruptedException {
        if (recordLimit != null) {
            recordLimit.acquire(maxBlockMs);
        }
    }

    private void giveSlotBack() {
        if (recordLimit != null) {
            recordLimit.release(1);
        }
    }

    private ProducerRecord<K, V> interceptOnSend(ProducerRecord<K, V> record) {
        ProducerRecord<K, V> current = record;
        for (ProducerInterceptor<K, V> interceptor : interceptors) {
            try {
                ProducerRecord<K, V> next = interceptor.onSend(current);
                if (next != null) {
                    current = next;
                }
            } catch (RuntimeException e) {
                log.warn("Interceptor {} failed in onSend; ignoring it", interceptor.getClass().getName(), e);
            }
        }
        return current;
    }

    private static <T> byte[] serialize(Serializer<T> serializer, String topic, ProducerRecord<?, ?> record, T data,
                                        String what) {
        try {
            return serializer.serialize(topic, record.headers(), data);
        } catch (ClassCastException | SerializationException e) {
            throw e instanceof SerializationException se ? se : new SerializationException("Can't serialize " + what
                    + " of a record for topic " + topic + " with " + serializer.getClass().getName(), e);
        } catch (RuntimeException e) {
            throw new SerializationException("Can't serialize " + what + " of a record for topic " + topic + " with "
                    + serializer.getClass().getName() + ": " + e.getMessage(), e);
        }
    }

    /** A record refused before it was accepted: it ends through the outcome path like any other. */
    private CompletableFuture<RecordMetadata> reject(CompletableFuture<RecordMetadata> future, Callback callback,
                                                     RuntimeException exception) {
        outcomes.failRejected(future, callback, exception);
        return future;
    }
}
