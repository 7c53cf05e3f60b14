package dev.courier.producer.internals.sender;

import dev.courier.producer.internals.accumulator.ProducerBatch;
import dev.courier.producer.internals.metadata.Metadata;
import dev.courier.producer.internals.metadata.Node;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.metrics.ProducerMetrics;
import dev.courier.producer.internals.network.ClientResponse;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.protocol.ProduceRequest;
import dev.courier.producer.internals.protocol.ProduceResponse;
import dev.courier.producer.internals.util.Time;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads how a produce request ended (answered, timed out, disconnected, refused for its version, or
 * written with acks=0) and hands each batch it carried to the {@link BatchCompleter} with its error.
 * Leader hints in the answer (KIP-951) are applied to the metadata first, so retries go to the new leader.
 *
 * <p>Sender thread only (inside the network client's poll).
 */
final class ProduceResponseHandler {

    private final BatchCompleter completer;
    private final BatchOutcomes outcomes;
    private final Metadata metadata;
    private final ProducerMetrics metrics;
    private final SenderSettings settings;
    private final Time time;
    private final Runnable beforeCompletions;

    /**
     * @param beforeCompletions runs before any batch of a response completes, so that whoever a completion
     *                          wakes (flush) reads a current in-flight count
     */
    ProduceResponseHandler(BatchCompleter completer, BatchOutcomes outcomes, Metadata metadata,
                           ProducerMetrics metrics, SenderSettings settings, Time time, Runnable beforeCompletions) {
        this.completer = completer;
        this.outcomes = outcomes;
        this.metadata = metadata;
        this.metrics = metrics;
        this.settings = settings;
        this.time = time;
        this.beforeCompletions = beforeCompletions;
    }

    /**
     * {@code batches} is this request's own array, in request order: entries are cleared as they are answered.
     * {@code topics} are the request's, for the names of topics a v13 answer gives by id.
     */
    void handle(ClientResponse response, ProducerBatch[] batches, List<ProduceRequest.TopicData> topics) {
        outcomes.holdCompletions();
        try {
            beforeCompletions.run();
            complete(response, batches, topics, time.monotonicMs());
        } finally {
            outcomes.releaseCompletions();
        }
    }

    private void complete(ClientResponse response, ProducerBatch[] batches, List<ProduceRequest.TopicData> topics,
                          long now) {
        String node = response.request().destination();
        if (response.wasTimedOut()) {
            for (ProducerBatch batch : batches) {
                completer.complete(batch, Errors.REQUEST_TIMED_OUT, "No response from node " + node + " within "
                        + settings.requestTimeoutMs() + " ms (request.timeout.ms)", -1, -1, false, now);
            }
        } else if (response.wasDisconnected()) {
            for (ProducerBatch batch : batches) {
                completer.complete(batch, Errors.NETWORK_EXCEPTION, "Disconnected from node " + node, -1, -1, false,
                        now);
            }
        } else if (response.versionMismatch() != null) {
            for (ProducerBatch batch : batches) {
                completer.failUnsent(batch, response.versionMismatch());
            }
        } else if (!response.request().expectResponse()) {
            for (ProducerBatch batch : batches) {
                completer.completeUnacknowledged(batch, now);
            }
        } else {
            metrics.recordLatency(response.latencyMs());
            ProduceResponse body = (ProduceResponse) response.body();
            Set<TopicPartition> newLeaders = applyLeaderHints(body, topics);
            List<ProduceResponse.TopicResponse> answered = body.topics();
            int cursor = 0;
            for (int t = 0; t < answered.size(); t++) {
                ProduceResponse.TopicResponse topic = answered.get(t);
                String name = topicName(topic, topics);
                List<ProduceResponse.PartitionResponse> partitions = topic.partitions();
                for (int p = 0; p < partitions.size(); p++) {
                    ProduceResponse.PartitionResponse partition = partitions.get(p);
                    int index = indexOf(batches, cursor, name, partition.partition());
                    if (index < 0) {
                        continue;
                    }
                    ProducerBatch batch = batches[index];
                    batches[index] = null;
                    cursor = index + 1;
                    Errors error = Errors.forCode(partition.errorCode());
                    completer.complete(batch, error, error == Errors.NONE ? "" : describe(partition),
                            partition.baseOffset(), partition.logAppendTimeMs(),
                            !newLeaders.isEmpty() && newLeaders.contains(batch.topicPartition()), now);
                }
            }
            for (ProducerBatch unanswered : batches) {
                if (unanswered != null) {
                    completer.complete(unanswered, Errors.UNKNOWN_SERVER_ERROR, "The broker's response did not "
                            + "mention " + unanswered.topicPartition(), -1, -1, false, now);
                }
            }
        }
    }

    /**
     * Where the batch for {@code topic}/{@code partition} is, or -1 if none is left. A broker answers in request
     * order, so the search starts where the previous match left off and usually succeeds at once; it wraps
     * around for an answer in any other order.
     */
    static int indexOf(ProducerBatch[] batches, int from, String topic, int partition) {
        int count = batches.length;
        for (int k = 0; k < count; k++) {
            int index = from + k < count ? from + k : from + k - count;
            ProducerBatch batch = batches[index];
            if (batch != null && batch.topicPartition().partition() == partition
                    && batch.topicPartition().topic().equals(topic)) {
                return index;
            }
        }
        return -1;
    }

    /** The answer's topic name: given up to v12, else the name of the request's topic with that id. */
    private static String topicName(ProduceResponse.TopicResponse topic, List<ProduceRequest.TopicData> topics) {
        if (topic.name() != null) {
            return topic.name();
        }
        for (int i = 0; i < topics.size(); i++) {
            if (topic.topicId() != null && topic.topicId().equals(topics.get(i).topicId())) {
                return topics.get(i).name();
            }
        }
        return null;
    }

    /**
     * KIP-951: a NOT_LEADER_OR_FOLLOWER or FENCED_LEADER_EPOCH answer may name the new leader; taking it
     * at once lets the retry go there without waiting for a metadata round trip.
     *
     * @return the partitions whose leader changed
     */
    private Set<TopicPartition> applyLeaderHints(ProduceResponse body, List<ProduceRequest.TopicData> topics) {
        Map<TopicPartition, Metadata.LeaderHint> hints = null;
        List<ProduceResponse.TopicResponse> answered = body.topics();
        for (int t = 0; t < answered.size(); t++) {
            ProduceResponse.TopicResponse topic = answered.get(t);
            List<ProduceResponse.PartitionResponse> partitions = topic.partitions();
            for (int p = 0; p < partitions.size(); p++) {
                ProduceResponse.PartitionResponse partition = partitions.get(p);
                if (partition.errorCode() == Errors.NONE.code()) {
                    continue;
                }
                Errors error = Errors.forCode(partition.errorCode());
                if ((error == Errors.NOT_LEADER_OR_FOLLOWER || error == Errors.FENCED_LEADER_EPOCH)
                        && partition.currentLeaderId() >= 0 && partition.currentLeaderEpoch() >= 0) {
                    if (hints == null) {
                        hints = new HashMap<>();
                    }
                    hints.put(new TopicPartition(topicName(topic, topics), partition.partition()),
                            new Metadata.LeaderHint(partition.currentLeaderId(), partition.currentLeaderEpoch()));
                }
            }
        }
        if (hints == null) {
            return Set.of();
        }
        List<Node> endpoints = new ArrayList<>();
        if (body.nodeEndpoints() != null) {
            for (ProduceResponse.NodeEndpoint endpoint : body.nodeEndpoints()) {
                endpoints.add(new Node(endpoint.nodeId(), endpoint.host(), endpoint.port(), endpoint.rack()));
            }
        }
        return metadata.updateLeaders(hints, endpoints);
    }

    private static String describe(ProduceResponse.PartitionResponse partition) {
        StringBuilder message = new StringBuilder();
        if (partition.errorMessage() != null) {
            message.append(partition.errorMessage());
        }
        if (partition.recordErrors() != null) {
            for (ProduceResponse.RecordError error : partition.recordErrors()) {
                message.append(message.length() == 0 ? "" : "; ").append("record ").append(error.batchIndex())
                        .append(": ").append(error.message());
            }
        }
        return message.toString();
    }
}
