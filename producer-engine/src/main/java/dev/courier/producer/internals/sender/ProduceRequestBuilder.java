package dev.courier.producer.internals.sender;

import dev.courier.producer.internals.accumulator.ProducerBatch;
import dev.courier.producer.internals.metadata.Cluster;
import dev.courier.producer.internals.metadata.Metadata;
import dev.courier.producer.internals.metrics.ProducerMetrics;
import dev.courier.producer.internals.network.ClientRequest;
import dev.courier.producer.internals.network.ClientResponse;
import dev.courier.producer.internals.network.NodeIds;
import dev.courier.producer.internals.network.RequestCompletionHandler;
import dev.courier.producer.internals.protocol.ProduceRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * A request carrying {@code batches} to {@code nodeId}; the batches count as in flight from here on.
     *
     * <p>Allocation-light, since it runs once per request: batches of one topic (the usual case) need no
     * grouping map, and the response is matched against the batches in request order (see
     * {@link ProduceResponseHandler}) instead of through a map by partition.
     */
    ClientRequest build(int nodeId, List<ProducerBatch> batches, Cluster cluster, long now) {
        int count = batches.size();
        ProducerBatch[] inRequestOrder = new ProducerBatch[count];
        List<ProduceRequest.TopicData> topics = groupByTopic(batches, inRequestOrder, cluster, now);
        int records = 0;
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            ProducerBatch batch = inRequestOrder[i];
            records += batch.recordCount();
            bytes += batch.encodedSizeInBytes();
            if (batch.attempts() == 0) {
                metrics.recordBatchEncoded(batch.encodedSizeInBytes(), batch.uncompressedSizeInBytes());
            }
            inFlight.add(batch, nodeId);
            batch.sent(now, settings.deliveryTimings());
        }
        ProduceRequest request = new ProduceRequest(identity.transactionalId(), settings.acks(),
                settings.requestTimeoutMs(), topics, identity.maxProduceVersion());
        metrics.recordRequestSent(count, records, bytes);
        return new ClientRequest(NodeIds.of(nodeId), request, now, settings.acks() != 0,
                settings.requestTimeoutMs(), new SentProduce(responseHandler, inRequestOrder, topics));
    }

    /**
     * The request's topics, each with its batches' partitions, in order of first appearance; fills
     * {@code inRequestOrder} with the batches in the order the request carries them.
     */
    private List<ProduceRequest.TopicData> groupByTopic(List<ProducerBatch> batches, ProducerBatch[] inRequestOrder,
                                                        Cluster cluster, long now) {
        int count = batches.size();
        String firstTopic = batches.get(0).topicPartition().topic();
        boolean oneTopic = true;
        for (int i = 1; i < count && oneTopic; i++) {
            oneTopic = firstTopic.equals(batches.get(i).topicPartition().topic());
        }
        if (oneTopic) {
            List<ProduceRequest.PartitionData> partitions = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ProducerBatch batch = batches.get(i);
                inRequestOrder[i] = batch;
                partitions.add(new ProduceRequest.PartitionData(batch.topicPartition().partition(),
                        batch.encodedView()));
            }
            return List.of(topicData(firstTopic, partitions, cluster, now));
        }
        Map<String, List<ProducerBatch>> batchesByTopic = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            ProducerBatch batch = batches.get(i);
            batchesByTopic.computeIfAbsent(batch.topicPartition().topic(), t -> new ArrayList<>()).add(batch);
        }
        List<ProduceRequest.TopicData> topics = new ArrayList<>(batchesByTopic.size());
        int next = 0;
        for (Map.Entry<String, List<ProducerBatch>> entry : batchesByTopic.entrySet()) {
            List<ProducerBatch> ofTopic = entry.getValue();
            List<ProduceRequest.PartitionData> partitions = new ArrayList<>(ofTopic.size());
            for (int i = 0; i < ofTopic.size(); i++) {
                ProducerBatch batch = ofTopic.get(i);
                inRequestOrder[next++] = batch;
                partitions.add(new ProduceRequest.PartitionData(batch.topicPartition().partition(),
                        batch.encodedView()));
            }
            topics.add(topicData(entry.getKey(), partitions, cluster, now));
        }
        return topics;
    }

    private ProduceRequest.TopicData topicData(String topic, List<ProduceRequest.PartitionData> partitions,
                                               Cluster cluster, long now) {
        metadata.add(topic, now); // keeps topics in use from expiring out of the metadata
        return new ProduceRequest.TopicData(topic, cluster.topicId(topic), partitions);
    }

    /** A sent produce request's completion: its batches in request order and its topics, for the answer. */
    private record SentProduce(ProduceResponseHandler handler, ProducerBatch[] batches,
                               List<ProduceRequest.TopicData> topics) implements RequestCompletionHandler {

        @Override
        public void onComplete(ClientResponse response) {
            handler.handle(response, batches, topics);
        }
    }
}
