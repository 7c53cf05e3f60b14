package dev.courier.producer.internals.sender;

import dev.courier.producer.internals.metadata.Node;
import dev.courier.producer.internals.network.ClientRequest;
import dev.courier.producer.internals.network.ClientResponse;
import dev.courier.producer.internals.network.KafkaClient;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.protocol.InitProducerIdRequest;
import dev.courier.producer.internals.protocol.InitProducerIdResponse;
import dev.courier.producer.internals.util.ExponentialBackoff;
import dev.courier.producer.internals.util.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets the idempotent producer its id: an InitProducerId request (no transactional id, so any broker
 * answers) to the least-loaded node, retried with backoff until it succeeds. Produce requests wait
 * meanwhile; their batches still expire after {@code delivery.timeout.ms}, and the expiry message
 * carries {@link #lastError()}.
 *
 * <p>Sender thread only.
 */
final class ProducerIdRequester {

    private static final Logger log = LoggerFactory.getLogger(ProducerIdRequester.class);

    private final KafkaClient client;
    private final IdempotenceManager idempotence;
    private final ExponentialBackoff backoff;
    private final int requestTimeoutMs;
    private final Time time;

    private boolean inFlight;
    private int failedAttempts;
    private long notBeforeMs;
    private String lastError;
    /** The cluster refused this producer an id (not authorized), until an answer says otherwise. */
    private RuntimeException refusal;

    ProducerIdRequester(KafkaClient client, IdempotenceManager idempotence, ExponentialBackoff backoff,
                        int requestTimeoutMs, Time time) {
        this.client = client;
        this.idempotence = idempotence;
        this.backoff = backoff;
        this.requestTimeoutMs = requestTimeoutMs;
        this.time = time;
    }

    /**
     * Sends an InitProducerId request if the producer needs an id and none is outstanding.
     *
     * @return how long the sender may sleep as far as this is concerned
     */
    long maybeRequest(long nowMs) {
        if (!idempotence.needsProducerId() || inFlight) {
            return Long.MAX_VALUE;
        }
        if (nowMs < notBeforeMs) {
            return notBeforeMs - nowMs;
        }
        Node node = client.leastLoadedNode(nowMs);
        if (node == null) {
            return backoff.backoffMs(0); // no broker to ask yet; metadata and reconnects wake us too
        }
        if (!client.ready(node, nowMs)) {
            return Math.max(0, client.pollDelayMs(node, nowMs));
        }
        InitProducerIdRequest request = new InitProducerIdRequest(null, Integer.MAX_VALUE, -1L, (short) -1);
        client.send(new ClientRequest(node.idString(), request, nowMs, true, requestTimeoutMs, this::handleResponse),
                nowMs);
        inFlight = true;
        return Long.MAX_VALUE;
    }

    private void handleResponse(ClientResponse response) {
        inFlight = false;
        String node = response.request().destination();
        if (response.wasTimedOut()) {
            failed("no answer from node " + node + " within " + requestTimeoutMs + " ms");
        } else if (response.wasDisconnected()) {
            failed("disconnected from node " + node);
        } else if (response.versionMismatch() != null) {
            failed(response.versionMismatch().getMessage());
        } else {
            InitProducerIdResponse body = (InitProducerIdResponse) response.body();
            Errors error = Errors.forCode(body.errorCode());
            if (error == Errors.NONE) {
                failedAttempts = 0;
                lastError = null;
                refusal = null;
                idempotence.producerIdReceived(body.producerId(), body.producerEpoch());
            } else if (error == Errors.CLUSTER_AUTHORIZATION_FAILED) {
                refusal = error.toException("The cluster refused this idempotent producer a producer id"
                        + " (InitProducerId): the principal needs Write on a topic, or IdempotentWrite on the cluster"
                        + " before Kafka 3.0");
                failed(error + " from node " + node);
            } else {
                failed(error + " from node " + node, error.isRetriable());
            }
        }
    }

    private void failed(String reason) {
        failed(reason, false);
    }

    /** Expected errors (a broker still loading its coordinator state) log at INFO, others at WARN. */
    private void failed(String reason, boolean expected) {
        lastError = "InitProducerId failed: " + reason;
        long backoffMs = backoff.backoffMs(failedAttempts++);
        notBeforeMs = time.monotonicMs() + backoffMs;
        if (expected) {
            log.info("{}; retrying in {} ms", lastError, backoffMs);
        } else {
            log.warn("{}; retrying in {} ms", lastError, backoffMs);
        }
    }

    /**
     * Set while the cluster refuses the producer an id for want of authorization: records that wait for the id
     * fail with it at once rather than at {@code delivery.timeout.ms}. Asking goes on (with backoff), as
     * permissions can be granted while the producer runs.
     */
    RuntimeException refusal() {
        return refusal;
    }

    /** Why the producer has no id yet, or null. */
    String lastError() {
        return lastError;
    }
}
