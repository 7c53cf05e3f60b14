package dev.courier.producer.internals.sender;

import dev.courier.producer.internals.accumulator.ProducerBatch;
import dev.courier.producer.internals.metadata.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one owner of batches sent and not yet settled: per partition, in send order, with the node they
 * went to. Everything else asks here: the batch's own in-flight flag (whether its buffer may go back to
 * the pool) is set and cleared only by this class, ordering ({@code max.in.flight.requests.per.connection=1})
 * and the idempotent producer's "same node while in flight" rule read it, and expiry walks it.
 *
 * <p>A batch is in flight from the moment its request is handed to the network until that request ends
 * (answered, timed out, disconnected), even if the batch itself ended earlier (expired): until then the
 * request still holds its bytes.
 *
 * <p>Sender thread only.
 */
public final class InFlightBatches {

    /** One partition's batches in flight; they all went to one node. */
    private static final class PartitionBatches {
        final List<ProducerBatch> batches = new ArrayList<>(2);
        int nodeId;
    }

    /**
     * Entries stay once made, empty or not: a partition's batches go in and out of flight with every request,
     * and remaking its entry each time was an entry, a list and a map node per batch sent.
     */
    private final Map<TopicPartition, PartitionBatches> byPartition = new HashMap<>();
    /** The entries of {@link #byPartition}, for scans without an iterator. */
    private final List<PartitionBatches> partitions = new ArrayList<>();
    private int count;

    /** The batch's request was handed to the network, bound for {@code nodeId}. */
    public void add(ProducerBatch batch, int nodeId) {
        PartitionBatches partition = byPartition.get(batch.topicPartition());
        if (partition == null) {
            partition = new PartitionBatches();
            byPartition.put(batch.topicPartition(), partition);
            partitions.add(partition);
        }
        partition.batches.add(batch);
        partition.nodeId = nodeId;
        batch.inFlight(true);
        count++;
    }

    /**
     * The request carrying the batch is over: it no longer holds the batch's buffer.
     *
     * @return false if the batch was not in flight
     */
    public boolean remove(ProducerBatch batch) {
        batch.inFlight(false);
        PartitionBatches partition = byPartition.get(batch.topicPartition());
        if (partition == null || !partition.batches.remove(batch)) {
            return false;
        }
        count--;
        return true;
    }

    /** Whether a batch of the partition is in flight. */
    public boolean contains(TopicPartition tp) {
        PartitionBatches partition = byPartition.get(tp);
        return partition != null && !partition.batches.isEmpty();
    }

    /** The node the partition's in-flight batches went to, or -1 when none is in flight. */
    public int nodeOf(TopicPartition tp) {
        PartitionBatches partition = byPartition.get(tp);
        return partition == null || partition.batches.isEmpty() ? -1 : partition.nodeId;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    public int size() {
        return count;
    }

    /** Creation time of the oldest batch in flight that has not ended yet, or Long.MAX_VALUE. */
    public long oldestUndoneCreatedMs() {
        long oldest = Long.MAX_VALUE;
        if (count == 0) {
            return oldest;
        }
        for (int p = 0; p < partitions.size(); p++) {
            PartitionBatches partition = partitions.get(p);
            for (int i = 0, n = partition.batches.size(); i < n; i++) {
                ProducerBatch batch = partition.batches.get(i);
                if (!batch.isDone()) {
                    oldest = Math.min(oldest, batch.createdMs());
                }
            }
        }
        return oldest;
    }

    /** Visits every batch in flight; {@code action} must not add or remove. */
    public void forEach(Consumer<ProducerBatch> action) {
        for (int p = 0; p < partitions.size(); p++) {
            PartitionBatches partition = partitions.get(p);
            for (int i = 0, n = partition.batches.size(); i < n; i++) {
                action.accept(partition.batches.get(i));
            }
        }
    }

    /** Removes and returns every batch in flight, clearing their flags (forced close). */
    public List<ProducerBatch> removeAll() {
        List<ProducerBatch> all = new ArrayList<>(count);
        forEach(all::add);
        for (ProducerBatch batch : all) {
            batch.inFlight(false);
        }
        byPartition.clear();
        partitions.clear();
        count = 0;
        return all;
    }
}
