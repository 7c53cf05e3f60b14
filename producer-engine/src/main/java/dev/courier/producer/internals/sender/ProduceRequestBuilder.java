package dev.courier.producer.internals.sender;

import dev.courier.producer.internals.accumulator.ProducerBatch;
import dev.courier.producer.internals.metadata.Cluster;
import dev.courier.producer.internals.metadata.Metadata;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.metrics.ProducerMetrics;
import dev.courier.producer.internals.network.ClientRequest;
import dev.courier.producer.internals.protocol.ProduceRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns the batches drained for one node into a produce request, and records them as in flight. The
 * request's completion goes to {@link ProduceResponseHandler} with the batches it carried.
 *
 * <p>Sender thread only.
 */
final class ProduceRequestBuilder {

    private final SenderSettings settings;
    private final ProducerIdentity identity;
    private final InFlightBatches inFlight;
    private final Metadata metadata;
    private final ProducerMetrics metrics;
    private final ProduceResponseHandler responseHandler;

    ProduceRequestBuilder(SenderSettings settings, ProducerIdentity identity, InFlightBatches inFlight,
                          Metadata metadata, ProducerMetrics metrics, ProduceResponseHandler responseHandler) {
        this.settings = settings;
        this.identity = identity;
        this.inFlight = inFlight;
        this.metadata = metadata;
        this.metrics = metrics;
        this.responseHandler = responseHandler;
    }

    /** A request carrying {@code batches} to {@code nodeId}; the batches count as in flight from here on. */
    ClientRequest build(int nodeId, List<ProducerBatch> batches, Cluster cluster, long now) {
        Map<String, List<ProduceRequest.PartitionData>> partitionsByTopic = new LinkedHashMap<>();
        Map<TopicPartition, ProducerBatch> batchesByPartition = new HashMap<>(batches.size() * 2);
        int records = 0;
        long bytes = 0;
        for (ProducerBatch batch : batches) {
            TopicPartition tp = batch.topicPartition();
            partitionsByTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                    .add(new ProduceRequest.PartitionData(tp.partition(), batch.encoded()));
            batchesByPartition.put(tp, batch);
            records += batch.recordCount();
            bytes += batch.encodedSizeInBytes();
            if (batch.attempts() == 0) {
                metrics.recordBatchEncoded(batch.encodedSizeInBytes(), batch.uncompressedSizeInBytes());
            }
            inFlight.add(batch, nodeId);
            batch.sent(now, settings.deliveryTimings());
        }
        List<ProduceRequest.TopicData> topics = new ArrayList<>(partitionsByTopic.size());
        Map<UUID, String> topicNamesById = new HashMap<>();
        for (Map.Entry<String, List<ProduceRequest.PartitionData>> entry : partitionsByTopic.entrySet()) {
            metadata.add(entry.getKey(), now); // keeps topics in use from expiring out of the metadata
            UUID topicId = cluster.topicId(entry.getKey());
            if (topicId != null) {
                topicNamesById.put(topicId, entry.getKey());
            }
            topics.add(new ProduceRequest.TopicData(entry.getKey(), topicId, entry.getValue()));
        }
        ProduceRequest request = new ProduceRequest(identity.transactionalId(), settings.acks(),
                settings.requestTimeoutMs(), topics, identity.maxProduceVersion());
        metrics.recordRequestSent(batches.size(), records, bytes);
        return new ClientRequest(Integer.toString(nodeId), request, now, settings.acks() != 0,
                settings.requestTimeoutMs(),
                response -> responseHandler.handle(response, batchesByPartition, topicNamesById));
    }
}
