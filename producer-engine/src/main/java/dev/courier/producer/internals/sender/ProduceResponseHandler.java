package dev.courier.producer.internals.sender;

import dev.courier.producer.internals.accumulator.ProducerBatch;
import dev.courier.producer.internals.metadata.Metadata;
import dev.courier.producer.internals.metadata.Node;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.metrics.ProducerMetrics;
import dev.courier.producer.internals.network.ClientResponse;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.protocol.ProduceResponse;
import dev.courier.producer.internals.util.Time;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

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

    /** {@code batches} is this request's own map, by partition: entries are removed as they are answered. */
    void handle(ClientResponse response, Map<TopicPartition, ProducerBatch> batches, Map<UUID, String> topicNamesById) {
        outcomes.holdCompletions();
        try {
            beforeCompletions.run();
            complete(response, batches, topicNamesById, time.monotonicMs());
        } finally {
            outcomes.releaseCompletions();
        }
    }

    private void complete(ClientResponse response, Map<TopicPartition, ProducerBatch> batches,
                          Map<UUID, String> topicNamesById, long now) {
        String node = response.request().destination();
        if (response.wasTimedOut()) {
            for (ProducerBatch batch : batches.values()) {
                completer.complete(batch, Errors.REQUEST_TIMED_OUT, "No response from node " + node + " within "
                        + settings.requestTimeoutMs() + " ms (request.timeout.ms)", -1, -1, false, now);
            }
        } else if (response.wasDisconnected()) {
            for (ProducerBatch batch : batches.values()) {
                completer.complete(batch, Errors.NETWORK_EXCEPTION, "Disconnected from node " + node, -1, -1, false,
                        now);
            }
        } else if (response.versionMismatch() != null) {
            for (ProducerBatch batch : batches.values()) {
                completer.failUnsent(batch, response.versionMismatch());
            }
        } else if (!response.request().expectResponse()) {
            for (ProducerBatch batch : batches.values()) {
                completer.completeUnacknowledged(batch, now);
            }
        } else {
            metrics.recordLatency(response.latencyMs());
            ProduceResponse body = (ProduceResponse) response.body();
            Set<TopicPartition> newLeaders = applyLeaderHints(body, topicNamesById);
            for (ProduceResponse.TopicResponse topic : body.topics()) {
                String name = topicName(topic, topicNamesById);
                for (ProduceResponse.PartitionResponse partition : topic.partitions()) {
                    TopicPartition tp = new TopicPartition(name, partition.partition());
                    ProducerBatch batch = batches.remove(tp);
                    if (batch != null) {
                        Errors error = Errors.forCode(partition.errorCode());
                        completer.complete(batch, error, error == Errors.NONE ? "" : describe(partition),
                                partition.baseOffset(), partition.logAppendTimeMs(), newLeaders.contains(tp), now);
                    }
                }
            }
            for (ProducerBatch unanswered : batches.values()) {
                completer.complete(unanswered, Errors.UNKNOWN_SERVER_ERROR, "The broker's response did not mention "
                        + unanswered.topicPartition(), -1, -1, false, now);
            }
        }
    }

    private static String topicName(ProduceResponse.TopicResponse topic, Map<UUID, String> topicNamesById) {
        return topic.name() != null ? topic.name() : topicNamesById.get(topic.topicId());
    }

    /**
     * KIP-951: a NOT_LEADER_OR_FOLLOWER or FENCED_LEADER_EPOCH answer may name the new leader; taking it
     * at once lets the retry go there without waiting for a metadata round trip.
     *
     * @return the partitions whose leader changed
     */
    private Set<TopicPartition> applyLeaderHints(ProduceResponse body, Map<UUID, String> topicNamesById) {
        Map<TopicPartition, Metadata.LeaderHint> hints = null;
        for (ProduceResponse.TopicResponse topic : body.topics()) {
            for (ProduceResponse.PartitionResponse partition : topic.partitions()) {
                Errors error = Errors.forCode(partition.errorCode());
                if ((error == Errors.NOT_LEADER_OR_FOLLOWER || error == Errors.FENCED_LEADER_EPOCH)
                        && partition.currentLeaderId() >= 0 && partition.currentLeaderEpoch() >= 0) {
                    if (hints == null) {
                        hints = new HashMap<>();
                    }
                    hints.put(new TopicPartition(topicName(topic, topicNamesById), partition.partition()),
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
