package dev.courier.producer.internals.transaction;

import dev.courier.producer.internals.metadata.Node;
import dev.courier.producer.internals.network.ClientRequest;
import dev.courier.producer.internals.network.ClientResponse;
import dev.courier.producer.internals.network.KafkaClient;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.protocol.FindCoordinatorRequest;
import dev.courier.producer.internals.protocol.FindCoordinatorResponse;
import dev.courier.producer.internals.transaction.CoordinatorRequest.Outcome;
import dev.courier.producer.internals.util.ExponentialBackoff;
import dev.courier.producer.internals.util.Time;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries the transaction manager's requests to their coordinators, one at a time: looks the coordinator up
 * (FindCoordinator, key type 1 for the transactional id, 0 for a consumer group) when it is not known or
 * has moved, waits for the node to be ready, and backs off after errors, disconnects and timeouts.
 *
 * <p>Sender thread only.
 */
public final class CoordinatorChannel {

    private static final Logger log = LoggerFactory.getLogger(CoordinatorChannel.class);

    private static final String TRANSACTION_VERSION_FEATURE = "transaction.version";

    private final TransactionManager manager;
    private final KafkaClient client;
    private final ExponentialBackoff backoff;
    private final int requestTimeoutMs;
    private final Time time;
    /** Coordinator per key type and key ("1:my-txn-id", "0:my-group"). */
    private final Map<String, Node> coordinators = new HashMap<>();

    private boolean inFlight;
    private int failedAttempts;
    private long notBeforeMs;
    /** When the known coordinator was first found not ready, or -1. */
    private long notReadySinceMs = -1;

    public CoordinatorChannel(TransactionManager manager, KafkaClient client, ExponentialBackoff backoff,
                              int requestTimeoutMs, Time time) {
        this.manager = manager;
        this.client = client;
        this.backoff = backoff;
        this.requestTimeoutMs = requestTimeoutMs;
        this.time = time;
    }

    /**
     * Sends the request that is due, if any and if none is out.
     *
     * @param recordsOutstanding records are queued or in flight (EndTxn waits for them)
     * @return how long the sender may sleep as far as this is concerned
     */
    public long maybeSend(long nowMs, boolean recordsOutstanding) {
        if (inFlight) {
            return Long.MAX_VALUE;
        }
        if (nowMs < notBeforeMs) {
            return notBeforeMs - nowMs;
        }
        CoordinatorRequest request = manager.nextRequest(recordsOutstanding);
        if (request == null) {
            return manager.nextRequestDelayMs(nowMs);
        }
        String coordinatorKey = request.keyType() + ":" + request.key();
        Node coordinator = coordinators.get(coordinatorKey);
        if (coordinator == null) {
            return findCoordinator(request.keyType(), request.key(), coordinatorKey, nowMs);
        }
        if (!client.ready(coordinator, nowMs)) {
            if (notReadySinceMs < 0) {
                notReadySinceMs = nowMs;
            } else if (nowMs - notReadySinceMs >= backoff.maxMs()) {
                // Down, or gone: with no request out nothing else would tell. Ask who the coordinator is now.
                log.info("Coordinator {} for {} has not been reachable for {} ms; looking it up again", coordinator,
                        coordinatorKey, nowMs - notReadySinceMs);
                coordinators.remove(coordinatorKey);
                notReadySinceMs = -1;
                return 0;
            }
            return Math.max(0, Math.min(client.pollDelayMs(coordinator, nowMs), backoff.backoffMs(0)));
        }
        notReadySinceMs = -1;
        if (request.keyType() == FindCoordinatorRequest.TRANSACTION) {
            manager.transactionVersionSeen(client.finalizedFeatureLevel(coordinator.idString(),
                    TRANSACTION_VERSION_FEATURE));
        }
        request.sent();
        inFlight = true;
        client.send(new ClientRequest(coordinator.idString(), request.body(), nowMs, true, requestTimeoutMs,
                response -> handle(request, coordinatorKey, response)), nowMs);
        return Long.MAX_VALUE;
    }

    private long findCoordinator(byte keyType, String key, String coordinatorKey, long nowMs) {
        Node node = client.leastLoadedNode(nowMs);
        if (node == null) {
            return backoff.backoffMs(0);
        }
        if (!client.ready(node, nowMs)) {
            return Math.max(0, Math.min(client.pollDelayMs(node, nowMs), backoff.backoffMs(0)));
        }
        inFlight = true;
        client.send(new ClientRequest(node.idString(), new FindCoordinatorRequest(key, keyType), nowMs, true,
                requestTimeoutMs, response -> handleFindCoordinator(keyType, coordinatorKey, response)), nowMs);
        return Long.MAX_VALUE;
    }

    private void handleFindCoordinator(byte keyType, String coordinatorKey, ClientResponse response) {
        inFlight = false;
        if (response.versionMismatch() != null) {
            manager.requestUnsupported(response.versionMismatch());
            return;
        }
        if (response.wasDisconnected() || response.wasTimedOut()) {
            backOff("FindCoordinator " + (response.wasTimedOut() ? "timed out" : "disconnected"));
            return;
        }
        FindCoordinatorResponse body = (FindCoordinatorResponse) response.body();
        Errors error = Errors.forCode(body.errorCode());
        if (error == Errors.NONE) {
            Node node = new Node(body.nodeId(), body.host(), body.port(), null);
            log.debug("Coordinator for {} is {}", coordinatorKey, node);
            coordinators.put(coordinatorKey, node);
            failedAttempts = 0;
            notBeforeMs = 0;
        } else if (error.isRetriable()) {
            backOff("FindCoordinator for " + coordinatorKey + ": " + error);
        } else {
            manager.coordinatorUnavailable(keyType, error);
        }
    }

    private void handle(CoordinatorRequest request, String coordinatorKey, ClientResponse response) {
        inFlight = false;
        if (response.versionMismatch() != null) {
            request.notDelivered();
            if (!request.optional()) {
                manager.requestUnsupported(response.versionMismatch());
            }
            return;
        }
        if (response.wasDisconnected() || response.wasTimedOut()) {
            request.notDelivered();
            coordinators.remove(coordinatorKey);
            log.info("{} to the coordinator for {} {}; looking it up again", request.body().apiKey(), coordinatorKey,
                    response.wasTimedOut() ? "timed out" : "was disconnected");
            backOff(request.body().apiKey() + " to the coordinator " + (response.wasTimedOut() ? "timed out"
                    : "disconnected"));
            return;
        }
        Outcome outcome = request.handle(response.body());
        switch (outcome) {
            case DONE -> {
                failedAttempts = 0;
                notBeforeMs = 0;
            }
            case RETRY_SOON -> backOff(request.body().apiKey() + ": the coordinator is still ending the previous"
                    + " transaction", TransactionManager.CONCURRENT_TRANSACTIONS_BACKOFF_MS);
            case RETRY -> backOff(request.body().apiKey() + ": the coordinator is busy (loading)");
            case FIND_COORDINATOR -> {
                coordinators.remove(coordinatorKey);
                log.info("{}: the coordinator for {} moved; looking it up again", request.body().apiKey(),
                        coordinatorKey);
                backOff(request.body().apiKey() + ": the coordinator moved");
            }
        }
    }

    private void backOff(String reason) {
        backOff(reason, Long.MAX_VALUE);
    }

    private void backOff(String reason, long capMs) {
        long backoffMs = Math.min(backoff.backoffMs(failedAttempts++), capMs);
        notBeforeMs = time.monotonicMs() + backoffMs;
        log.debug("{}; retrying in {} ms", reason, backoffMs);
    }
}
