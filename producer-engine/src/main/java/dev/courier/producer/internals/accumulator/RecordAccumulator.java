package dev.courier.producer.internals.accumulator;

import dev.courier.producer.Callback;
import dev.courier.producer.Header;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.internals.metadata.Cluster;
import dev.courier.producer.internals.metadata.Node;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.record.Compression;
import dev.courier.producer.internals.record.CompressionType;
import dev.courier.producer.internals.record.RecordBatchBuilder;
import dev.courier.producer.internals.record.Sequences;
import dev.courier.producer.internals.util.Time;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-partition queues of batches between the callers and the sender.
 *
 * <p>Caller threads {@link #append} records; the sender thread asks which nodes are {@link #ready},
 * {@link #drain}s batches for them, {@link #reenqueue}s retries and collects {@link #expiredBatches}.
 *
 * <p>Locking: each partition's deque is its own monitor, held only for deque operations and appends
 * (never for I/O, compression or buffer allocation). Memory comes from the {@link BufferPool}, which a
 * caller may wait on <em>outside</em> every deque monitor. The drain's round-robin position belongs to the
 * sender thread; which partitions may be drained is the sender's {@link DrainGate}'s to say.
 *
 * <p>This class appends, re-queues and keeps the flush, close and completion bookkeeping; it owns and
 * delegates to the {@link PartitionQueues}, the {@link ReadyChecker}, the {@link BatchDrainer} and the
 * {@link BatchRemover}.
 */
public final class RecordAccumulator {

    private final int batchSize;
    private final Compression compression;
    private final BufferPool pool;
    private final BatchSizer sizer;
    private final BatchSplitter splitter;
    /** Read only when a batch is created: most appends join an open batch and need no clock. */
    private final Time time;

    /** Every partition's queue: the appends here, and the sender's ready check, drain and removals, use it. */
    private final PartitionQueues queues = new PartitionQueues();
    private final Set<ProducerBatch> incomplete = ConcurrentHashMap.newKeySet();
    private final AtomicInteger flushesInProgress = new AtomicInteger();
    private volatile boolean closed;

    // sender thread only
    private final ReadyChecker readyChecker;
    private final BatchDrainer drainer;
    private final BatchRemover remover;
    /** Buffers on their way back to the pool in {@link #deallocate(ProducerBatch[], int)}; always cleared. */
    private ByteBuffer[] releasing = new ByteBuffer[8];

    /** As the full constructor with Kafka's default max.request.size (1 MiB). */
    public RecordAccumulator(int batchSize, long lingerMs, long deliveryTimeoutMs, Compression compression,
                             BufferPool pool) {
        this(batchSize, lingerMs, deliveryTimeoutMs, compression, pool, 1_048_576, Time.SYSTEM);
    }

    /**
     * @param maxRequestSize max.request.size; a compressed batch's buffer (uncompressed records) is
     *                       kept a little below it, so that even an incompressible batch can be sent
     */
    public RecordAccumulator(int batchSize, long lingerMs, long deliveryTimeoutMs, Compression compression,
                             BufferPool pool, int maxRequestSize, Time time) {
        this.batchSize = Math.max(1, batchSize);
        this.compression = compression;
        this.pool = pool;
        this.time = time;
        this.sizer = new BatchSizer(this.batchSize, compression.type(), pool, maxRequestSize);
        this.splitter = new BatchSplitter(pool, compression);
        this.readyChecker = new ReadyChecker(queues, this.batchSize, lingerMs, deliveryTimeoutMs);
        this.drainer = new BatchDrainer(queues, sizer, this);
        this.remover = new BatchRemover(queues, deliveryTimeoutMs);
    }

    /** What an append did, so the caller knows whether to wake the sender. */
    public record AppendResult(boolean batchIsFull, boolean newBatchCreated) {

        private static final AppendResult[] ALL = {new AppendResult(false, false), new AppendResult(false, true),
            new AppendResult(true, false), new AppendResult(true, true)};

        /** One of four shared instances: an append allocates no result. */
        public static AppendResult of(boolean batchIsFull, boolean newBatchCreated) {
            return ALL[(batchIsFull ? 2 : 0) | (newBatchCreated ? 1 : 0)];
        }
    }

    /**
     * Appends a record to its partition's open batch, or to a new batch whose memory may be waited for
     * up to {@code maxBlockMs}.
     */
    public AppendResult append(TopicPartition tp, long timestamp, byte[] key, byte[] value, List<Header> headers,
                               CompletableFuture<RecordMetadata> future, Callback callback, long maxBlockMs)
            throws InterruptedException {
        PartitionQueue deque = queues.getOrCreate(tp);
        synchronized (deque) {
            rejectIfClosed();
            AppendResult result = tryAppendLocked(deque, timestamp, key, value, headers, future, callback, 0);
            if (result != null) {
                return result;
            }
        }
        int size = Math.max(sizer.pooledBufferSize(tp), RecordBatchBuilder.estimateBatchSizeUpperBound(key, value, headers));
        ByteBuffer buffer = pool.allocate(size, maxBlockMs);
        return appendWithBuffer(tp, deque, buffer, true, timestamp, key, value, headers, future, callback,
                time.monotonicMs(), 0);
    }

    /**
     * Appends a record that waited for metadata and holds {@code reservedBytes} of pool memory, without
     * blocking (sender thread). The reservation is spent on the append.
     *
     * @return false, keeping the reservation, when no memory is free for a new batch right now
     */
    public boolean appendReserved(TopicPartition tp, long timestamp, byte[] key, byte[] value, List<Header> headers,
                                  CompletableFuture<RecordMetadata> future, Callback callback, int reservedBytes,
                                  long nowMs) {
        return appendReserved(tp, timestamp, key, value, headers, future, callback, reservedBytes, nowMs, 0);
    }

    /** As above, noting that the record waited {@code metadataWaitMs} for metadata (for delivery timings). */
    public boolean appendReserved(TopicPartition tp, long timestamp, byte[] key, byte[] value, List<Header> headers,
                                  CompletableFuture<RecordMetadata> future, Callback callback, int reservedBytes,
                                  long nowMs, long metadataWaitMs) {
        PartitionQueue deque = queues.getOrCreate(tp);
        synchronized (deque) {
            if (tryAppendLocked(deque, timestamp, key, value, headers, future, callback, metadataWaitMs) != null) {
                pool.release(reservedBytes);
                return true;
            }
        }
        int size = Math.max(batchSize, RecordBatchBuilder.estimateBatchSizeUpperBound(key, value, headers));
        ByteBuffer buffer = pool.allocateFromReservation(size, reservedBytes);
        if (buffer == null) {
            return false;
        }
        appendWithBuffer(tp, deque, buffer, false, timestamp, key, value, headers, future, callback, nowMs,
                metadataWaitMs);
        return true;
    }

    int batchBufferSize(TopicPartition tp) {
        return sizer.bufferSize(tp);
    }

    int pooledBatchBufferSize(TopicPartition tp) {
        return sizer.pooledBufferSize(tp);
    }

    /** The compression estimator, null without compression (for tests). */
    CompressionRatioEstimator compressionRatios() {
        return sizer.ratios();
    }

    private AppendResult appendWithBuffer(TopicPartition tp, PartitionQueue deque, ByteBuffer buffer,
                                          boolean fromCaller, long timestamp, byte[] key, byte[] value, List<Header> headers,
                                          CompletableFuture<RecordMetadata> future, Callback callback, long nowMs,
                                          long metadataWaitMs) {
        ProducerBatch previous;
        AppendResult result;
        synchronized (deque) {
            if (fromCaller && closed) {
                pool.deallocate(buffer);
                rejectIfClosed();
            }
            // Another thread may have opened a batch while we waited for memory.
            result = tryAppendLocked(deque, timestamp, key, value, headers, future, callback, metadataWaitMs);
            if (result != null) {
                pool.deallocate(buffer);
                return result;
            }
            previous = deque.peekLast();
            if (previous != null) {
                deque.batchEnded(previous);
            }
            buffer.clear();
            int fullAt = sizer.fullAt(tp, buffer.capacity());
            ProducerBatch batch = new ProducerBatch(tp, buffer, new RecordBatchBuilder(buffer, compression), nowMs,
                    fullAt, deque.recordSlotsForNewBatch());
            if (!batch.tryAppend(timestamp, key, value, headers, future, callback, metadataWaitMs)) {
                pool.deallocate(buffer);
                throw new IllegalStateException("a record did not fit a batch sized for it: " + tp);
            }
            deque.addLast(batch);
            incomplete.add(batch);
            result = AppendResult.of(deque.size() > 1 || batch.isFull(batchSize), true);
        }
        if (previous != null && compression.type() != CompressionType.NONE) {
            // It takes no more appends now: compress it here, in parallel with the sender's I/O.
            previous.seal();
        }
        return result;
    }

    private AppendResult tryAppendLocked(Deque<ProducerBatch> deque, long timestamp, byte[] key, byte[] value,
                                         List<Header> headers, CompletableFuture<RecordMetadata> future,
                                         Callback callback, long metadataWaitMs) {
        ProducerBatch last = deque.peekLast();
        if (last != null && last.tryAppend(timestamp, key, value, headers, future, callback, metadataWaitMs)) {
            return AppendResult.of(deque.size() > 1 || last.isFull(batchSize), false);
        }
        return null;
    }

    /**
     * A caller's append that races with close fails loudly instead of leaving a batch the sender has
     * already stopped looking for. Records that were accepted before close (waiting for metadata) are
     * still appended by the sender, which does not call this.
     */
    private void rejectIfClosed() {
        if (closed) {
            throw new IllegalStateException("Cannot send after the producer is closed");
        }
    }

    /**
     * Which leaders have sendable data, and when to look again. {@code readyNodes} is the caller's to trim
     * until the next check (a mutable set that the next check reuses, or an empty immutable one).
     */
    public record ReadyCheck(Set<Node> readyNodes, long nextReadyCheckDelayMs, Set<String> unknownLeaderTopics) {
    }

    /**
     * A partition is sendable when its first batch is full, has lingered long enough (or backed off long
     * enough, for a retry), or when memory is short, a flush is in progress or the producer is closing.
     */
    public ReadyCheck ready(Cluster cluster, long nowMs) {
        return ready(cluster, nowMs, DrainGate.OPEN);
    }

    /** As {@link #ready(Cluster, long)}, skipping partitions whose head batch {@code gate} holds back. */
    public ReadyCheck ready(Cluster cluster, long nowMs, DrainGate gate) {
        boolean exhausted = pool.queued() > 0;
        boolean flushing = flushesInProgress.get() > 0 || closed;
        return readyChecker.check(cluster, nowMs, gate, exhausted, flushing);
    }

    /**
     * Takes batches for each ready node, up to {@code maxRequestSize} bytes per node, starting each node's
     * round where its last one stopped so that no partition starves. Drained batches are encoded here,
     * outside the deque monitors. The returned map is reused by the next drain (sender thread); its lists are
     * the caller's.
     */
    public Map<Integer, List<ProducerBatch>> drain(Cluster cluster, Set<Node> readyNodes, int maxRequestSize,
                                                   long nowMs) {
        return drain(cluster, readyNodes, maxRequestSize, nowMs, DrainGate.OPEN);
    }

    /** As {@link #drain(Cluster, Set, int, long)}, asking {@code gate} about and preparing each batch. */
    public Map<Integer, List<ProducerBatch>> drain(Cluster cluster, Set<Node> readyNodes, int maxRequestSize,
                                                   long nowMs, DrainGate gate) {
        return drainer.drain(cluster, readyNodes, maxRequestSize, nowMs, gate);
    }

    /**
     * Whether the last {@link #drain} left a batch in a partition led by one of its ready nodes: one that did not
     * fit the request, was held back or backing off, or queued behind the batch it took (sender thread). When
     * none is left, the ready check made before the drain still tells when to look again; otherwise it does not,
     * since it skips the other partitions of a node it already found ready.
     */
    public boolean drainLeftBatches() {
        return drainer.drainLeftBatches();
    }

    /**
     * Puts a batch that failed with a retriable error back at the head of its queue (sender thread).
     * A batch with sequence numbers goes in sequence order among the other retries: several batches of
     * one partition may come back out of order (they fail one response at a time), and the idempotent
     * producer must resend them in order.
     */
    public void reenqueue(ProducerBatch batch) {
        Deque<ProducerBatch> deque = queues.getOrCreate(batch.topicPartition());
        synchronized (deque) {
            if (!batch.hasSequence()) {
                deque.addFirst(batch);
                return;
            }
            List<ProducerBatch> earlier = new ArrayList<>();
            while (!deque.isEmpty() && comesBefore(deque.peekFirst(), batch)) {
                earlier.add(deque.pollFirst());
            }
            deque.addFirst(batch);
            for (int i = earlier.size() - 1; i >= 0; i--) {
                deque.addFirst(earlier.get(i));
            }
        }
    }

    /**
     * Replaces a batch the broker refused as too large by smaller ones ({@link BatchSplitter}), at the
     * head of its queue in order, ahead of any later batch (sender thread; the batch's request is over).
     *
     * @return the number of batches it became, or 0 when the pool could not lend memory for them; the
     *     batch then still has to end
     */
    public int splitAndReenqueue(ProducerBatch batch) {
        List<ProducerBatch> parts = splitter.split(batch);
        if (parts == null) {
            return 0;
        }
        incomplete.addAll(parts); // before the batch leaves, so that a flush always has one to wait on
        incomplete.remove(batch);
        if (batch.hasSequence()) {
            for (ProducerBatch part : parts) {
                reenqueue(part); // in sequence order among other retries
            }
            return parts.size();
        }
        Deque<ProducerBatch> deque = queues.getOrCreate(batch.topicPartition());
        synchronized (deque) {
            for (int i = parts.size() - 1; i >= 0; i--) {
                deque.addFirst(parts.get(i));
            }
        }
        return parts.size();
    }

    /** Whether {@code queued} was sequenced before {@code batch} in the same producer epoch. */
    private static boolean comesBefore(ProducerBatch queued, ProducerBatch batch) {
        return queued.hasSequence() && queued.producerId() == batch.producerId()
                && queued.producerEpoch() == batch.producerEpoch()
                && Sequences.before(queued.baseSequence(), batch.baseSequence());
    }

    /** Removes and returns queued batches older than {@code delivery.timeout.ms} (sender thread). */
    public List<ProducerBatch> expiredBatches(long nowMs) {
        return remover.expiredBatches(nowMs);
    }

    /**
     * Removes and returns the queued batches of the partitions {@code cluster} says {@code leader} leads
     * (sender thread), e.g. because the client cannot authenticate to it.
     */
    public List<ProducerBatch> removeBatchesLedBy(Cluster cluster, int leader) {
        return remover.removeBatchesLedBy(cluster, leader);
    }

    /**
     * Removes every queued batch that was never sent (purge; sender thread); retries stay. See
     * {@link BatchRemover#removeUnsent()} for why this is safe against concurrent appends.
     */
    public List<ProducerBatch> removeUnsent() {
        return remover.removeUnsent();
    }

    /** Removes every queued batch (forced close; sender thread). */
    public List<ProducerBatch> drainAll() {
        return remover.removeAll();
    }

    /**
     * Gives a finished batch's memory back, once (sender thread). A batch still referenced by an in-flight
     * request keeps it: the request's bytes are its buffer, and the response handler gives it back.
     */
    public void deallocate(ProducerBatch batch) {
        if (!batch.inFlight() && batch.markBufferReleased()) {
            pool.deallocate(batch.pooledBuffer());
        }
    }

    /** As {@link #deallocate(ProducerBatch)} for the first {@code count} batches, in one pool operation. */
    public void deallocate(ProducerBatch[] batches, int count) {
        if (releasing.length < count) {
            releasing = new ByteBuffer[Math.max(count, releasing.length * 2)];
        }
        int buffers = 0;
        for (int i = 0; i < count; i++) {
            if (!batches[i].inFlight() && batches[i].markBufferReleased()) {
                releasing[buffers++] = batches[i].pooledBuffer();
            }
        }
        pool.deallocateAll(releasing, buffers);
        Arrays.fill(releasing, 0, buffers, null);
    }

    /** Forgets a batch whose callbacks have all run. */
    public void completed(ProducerBatch batch) {
        incomplete.remove(batch);
    }

    /** Whether any batch is still queued (not yet drained). */
    public boolean hasUndrained() {
        for (Deque<ProducerBatch> deque : queues.values()) {
            synchronized (deque) {
                if (!deque.isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Every batch not yet completed, for flush to wait on. */
    public List<ProducerBatch> incompleteBatches() {
        return new ArrayList<>(incomplete);
    }

    public boolean hasIncomplete() {
        return !incomplete.isEmpty();
    }

    /** Number of queued batches per partition, for the adaptive partitioner. */
    public int queueSize(TopicPartition tp) {
        Deque<ProducerBatch> deque = queues.get(tp);
        if (deque == null) {
            return 0;
        }
        synchronized (deque) {
            return deque.size();
        }
    }

    /** Makes every queued batch sendable at once until {@link #endFlush()}. */
    public void beginFlush() {
        flushesInProgress.incrementAndGet();
    }

    public void endFlush() {
        flushesInProgress.decrementAndGet();
    }

    public boolean flushInProgress() {
        return flushesInProgress.get() > 0;
    }

    /** No more appends; queued batches become sendable at once. */
    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }

    public BufferPool bufferPool() {
        return pool;
    }
}
