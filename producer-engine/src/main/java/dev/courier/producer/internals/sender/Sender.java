package dev.courier.producer.internals.sender;

import dev.courier.producer.errors.RecordTooLargeException;
import dev.courier.producer.errors.TimeoutException;
import dev.courier.producer.internals.accumulator.DrainGate;
import dev.courier.producer.internals.accumulator.PendingRecords;
import dev.courier.producer.internals.accumulator.ProducerBatch;
import dev.courier.producer.internals.accumulator.RecordAccumulator;
import dev.courier.producer.internals.accumulator.RecordAccumulator.ReadyCheck;
import dev.courier.producer.internals.metadata.Cluster;
import dev.courier.producer.internals.metadata.Metadata;
import dev.courier.producer.internals.metadata.Node;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.metrics.ProducerMetrics;
import dev.courier.producer.internals.network.ClientRequest;
import dev.courier.producer.internals.network.ClientResponse;
import dev.courier.producer.internals.network.KafkaClient;
import dev.courier.producer.internals.partition.RecordPartitioner;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.protocol.ProduceRequest;
import dev.courier.producer.internals.protocol.ProduceResponse;
import dev.courier.producer.internals.util.ExponentialBackoff;
import dev.courier.producer.internals.util.Time;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer's I/O thread: each turn moves records that waited for metadata, asks the accumulator
 * which leaders have sendable data, drops those not ready to receive, drains batches for the rest,
 * expires what is too old, sends produce requests, and polls the network (whose response handlers
 * complete, retry or fail batches).
 *
 * <p>Everything here runs on the sender thread except {@link #initiateClose()}, {@link #forceClose()}
 * and {@link #wakeup()}.
 */
public final class Sender implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Sender.class);

    private final KafkaClient client;
    private final Metadata metadata;
    private final RecordAccumulator accumulator;
    private final PendingRecords pending;
    private final PendingRecordMover mover;
    private final BatchOutcomes outcomes;
    private final SenderSettings settings;
    private final ProducerMetrics metrics;
    private final Time time;
    private final ExponentialBackoff retryBackoff;
    // null unless enable.idempotence; then it is also the accumulator's drain gate
    private final IdempotenceManager idempotence;
    private final ProducerIdRequester producerIdRequester;
    private final DrainGate drainGate;

    // sender thread only: batches sent and not yet answered, by partition, in send order
    private final Map<TopicPartition, List<ProducerBatch>> inFlightBatches = new HashMap<>();

    // written by the sender thread after each poll, read by metrics
    private volatile int inFlightRequests;
    private volatile boolean running = true;
    private volatile boolean forceClose;

    public Sender(KafkaClient client, Metadata metadata, RecordAccumulator accumulator, PendingRecords pending,
                  RecordPartitioner partitioner, BatchOutcomes outcomes, SenderSettings settings,
                  ProducerMetrics metrics, Time time) {
        this.client = client;
        this.metadata = metadata;
        this.accumulator = accumulator;
        this.pending = pending;
        this.mover = new PendingRecordMover(pending, accumulator, partitioner, metadata, outcomes,
                settings.maxBlockMs());
        this.outcomes = outcomes;
        this.settings = settings;
        this.metrics = metrics;
        this.time = time;
        this.retryBackoff = ExponentialBackoff.of(settings.retryBackoffMs(), settings.retryBackoffMaxMs());
        if (settings.idempotent()) {
            this.idempotence = new IdempotenceManager();
            this.producerIdRequester = new ProducerIdRequester(client, idempotence, retryBackoff,
                    settings.requestTimeoutMs(), time);
            this.drainGate = idempotence;
        } else {
            this.idempotence = null;
            this.producerIdRequester = null;
            this.drainGate = DrainGate.OPEN;
        }
    }

    @Override
    public void run() {
        log.debug("Sender started");
        while (running) {
            runOnceSafely();
        }
        // Graceful close: deliver everything that was accepted, unless told to stop now.
        while (!forceClose && hasWorkLeft()) {
            runOnceSafely();
        }
        if (forceClose) {
            abortEverything();
        }
        try {
            client.close();
        } catch (RuntimeException e) {
            log.warn("Failed to close the network client", e);
        }
        log.debug("Sender stopped");
    }

    private boolean hasWorkLeft() {
        return accumulator.hasUndrained() || client.inFlightRequestCount() > 0 || !pending.isEmpty();
    }

    private void runOnceSafely() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            log.error("Unexpected error in the sender loop", e);
        }
    }

    /** One turn of the loop; public so tests can step the sender by hand. */
    public void runOnce() {
        long now = time.monotonicMs();
        long pendingDelayMs = mover.moveReady(now);
        long idempotenceDelayMs = maintainProducerId(now);
        long pollTimeoutMs = Math.min(Math.min(pendingDelayMs, idempotenceDelayMs), sendProducerData(now));
        client.poll(Math.max(0, pollTimeoutMs), time.monotonicMs());
        inFlightRequests = client.inFlightRequestCount();
    }

    /**
     * Idempotent producer: settles partitions whose sequences are in doubt, bumps the epoch once nothing
     * is in flight if that is due, and asks for a producer id when there is none.
     */
    private long maintainProducerId(long now) {
        if (idempotence == null) {
            return Long.MAX_VALUE;
        }
        idempotence.resolveSequences();
        idempotence.maybeBump(!inFlightBatches.isEmpty());
        return producerIdRequester.maybeRequest(now);
    }

    /** Requests sent and not yet answered, as of the last loop. */
    public int inFlightRequests() {
        return inFlightRequests;
    }

    private long sendProducerData(long now) {
        Cluster cluster = metadata.fetch();
        ReadyCheck ready = accumulator.ready(cluster, now, drainGate);
        if (!ready.unknownLeaderTopics().isEmpty()) {
            for (String topic : ready.unknownLeaderTopics()) {
                metadata.add(topic, now);
            }
            metadata.requestUpdate();
        }
        Set<Node> readyNodes = ready.readyNodes(); // a fresh set per check: ours to trim
        long notReadyTimeoutMs = Long.MAX_VALUE;
        for (Iterator<Node> it = readyNodes.iterator(); it.hasNext(); ) {
            Node node = it.next();
            if (!client.ready(node, now)) {
                it.remove();
                notReadyTimeoutMs = Math.min(notReadyTimeoutMs, client.pollDelayMs(node, now));
            }
        }
        Map<Integer, List<ProducerBatch>> drained = accumulator.drain(cluster, readyNodes, settings.maxRequestSize(), now,
                drainGate);
        if (settings.guaranteeMessageOrder()) {
            for (List<ProducerBatch> batches : drained.values()) {
                for (ProducerBatch batch : batches) {
                    accumulator.mute(batch.topicPartition());
                }
            }
        }
        expireBatches(now);
        long pollTimeoutMs = Math.min(ready.nextReadyCheckDelayMs(), notReadyTimeoutMs);
        pollTimeoutMs = Math.min(pollTimeoutMs, timeToNextInFlightExpiry(now));
        if (!readyNodes.isEmpty()) {
            pollTimeoutMs = 0;
        }
        for (Map.Entry<Integer, List<ProducerBatch>> entry : drained.entrySet()) {
            sendProduceRequest(entry.getKey(), entry.getValue(), cluster, now);
        }
        return pollTimeoutMs;
    }

    private void expireBatches(long now) {
        for (ProducerBatch batch : accumulator.expiredBatches(now)) {
            fail(batch, expiredException(batch, now), batch.attempts() > 0);
        }
        for (List<ProducerBatch> batches : inFlightBatches.values()) {
            for (ProducerBatch batch : batches) {
                if (!batch.isDone() && now - batch.createdMs() >= settings.deliveryTimeoutMs()) {
                    // Its buffer stays with the request until the request completes.
                    fail(batch, expiredException(batch, now), true);
                }
            }
        }
    }

    private TimeoutException expiredException(ProducerBatch batch, long now) {
        String noProducerId = producerIdRequester == null || producerIdRequester.lastError() == null ? ""
                : "; the producer has no producer id yet: " + producerIdRequester.lastError();
        String lastError = batch.lastAttemptError() == null ? ""
                : "; " + batch.attempts() + " attempt(s) failed, the last with " + batch.lastAttemptError();
        return new TimeoutException("Expiring " + batch.recordCount() + " record(s) for " + batch.topicPartition()
                + ": " + (now - batch.createdMs()) + " ms has passed since batch creation (delivery.timeout.ms is "
                + settings.deliveryTimeoutMs() + ")" + lastError + noProducerId);
    }

    /** Fails a batch for good; an idempotent producer notes the sequences it may leave missing. */
    private void fail(ProducerBatch batch, RuntimeException exception, boolean wasSent) {
        if (idempotence != null && batch.hasSequence() && !batch.isDone()) {
            idempotence.failedAfterSequencing(batch);
        }
        outcomes.fail(batch, exception, wasSent);
    }

    private void succeed(ProducerBatch batch, long baseOffset, long logAppendTimeMs) {
        if (idempotence != null) {
            idempotence.acknowledged(batch);
        }
        outcomes.succeed(batch, baseOffset, logAppendTimeMs);
    }

    private long timeToNextInFlightExpiry(long now) {
        long earliest = Long.MAX_VALUE;
        for (List<ProducerBatch> batches : inFlightBatches.values()) {
            for (ProducerBatch batch : batches) {
                if (!batch.isDone()) {
                    earliest = Math.min(earliest, batch.createdMs() + settings.deliveryTimeoutMs() - now);
                }
            }
        }
        return Math.max(0, earliest);
    }

    private void sendProduceRequest(int nodeId, List<ProducerBatch> batches, Cluster cluster, long now) {
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
            batch.inFlight(true);
            if (idempotence != null) {
                idempotence.sent(batch, nodeId);
            }
            inFlightBatches.computeIfAbsent(tp, k -> new ArrayList<>()).add(batch);
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
        ProduceRequest request = new ProduceRequest(null, settings.acks(), settings.requestTimeoutMs(), topics);
        boolean expectResponse = settings.acks() != 0;
        ClientRequest clientRequest = new ClientRequest(Integer.toString(nodeId), request, now, expectResponse,
                settings.requestTimeoutMs(),
                response -> handleProduceResponse(response, batchesByPartition, topicNamesById));
        client.send(clientRequest, now);
        metrics.recordRequestSent(batches.size(), records, bytes);
    }

    private void handleProduceResponse(ClientResponse response, Map<TopicPartition, ProducerBatch> batches,
                                       Map<UUID, String> topicNamesById) {
        outcomes.holdCompletions();
        try {
            completeProduceResponse(response, batches, topicNamesById);
        } finally {
            outcomes.releaseCompletions();
        }
    }

    private void completeProduceResponse(ClientResponse response, Map<TopicPartition, ProducerBatch> batches,
                                         Map<UUID, String> topicNamesById) {
        // Before any batch completes: whoever a completion wakes (flush) must not read a stale count.
        inFlightRequests = client.inFlightRequestCount();
        long now = time.monotonicMs();
        String node = response.request().destination();
        if (response.wasTimedOut()) {
            for (ProducerBatch batch : batches.values()) {
                completeBatch(batch, Errors.REQUEST_TIMED_OUT, "No response from node " + node + " within "
                        + settings.requestTimeoutMs() + " ms (request.timeout.ms)", -1, -1, false, now);
            }
        } else if (response.wasDisconnected()) {
            for (ProducerBatch batch : batches.values()) {
                completeBatch(batch, Errors.NETWORK_EXCEPTION, "Disconnected from node " + node, -1, -1, false, now);
            }
        } else if (response.versionMismatch() != null) {
            for (ProducerBatch batch : batches.values()) {
                settle(batch);
                fail(batch, response.versionMismatch(), false);
            }
        } else if (!response.request().expectResponse()) {
            for (ProducerBatch batch : batches.values()) {
                settle(batch);
                succeed(batch, -1, -1);
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
                        completeBatch(batch, error, error == Errors.NONE ? "" : describe(partition),
                                partition.baseOffset(), partition.logAppendTimeMs(), newLeaders.contains(tp), now);
                    }
                }
            }
            for (ProducerBatch unanswered : batches.values()) {
                completeBatch(unanswered, Errors.UNKNOWN_SERVER_ERROR, "The broker's response did not mention "
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

    /** The request carrying this batch is over: it no longer holds the batch's buffer. */
    private void settle(ProducerBatch batch) {
        batch.inFlight(false);
        List<ProducerBatch> inFlight = inFlightBatches.get(batch.topicPartition());
        if (inFlight != null) {
            inFlight.remove(batch);
            if (inFlight.isEmpty()) {
                inFlightBatches.remove(batch.topicPartition());
            }
        }
        if (idempotence != null) {
            idempotence.settled(batch);
        }
        if (settings.guaranteeMessageOrder()) {
            accumulator.unmute(batch.topicPartition());
        }
    }

    /**
     * @param leaderChanged the response named a new leader for the partition, so a retry need not back off
     */
    private void completeBatch(ProducerBatch batch, Errors error, String message, long baseOffset,
                               long logAppendTimeMs, boolean leaderChanged, long now) {
        settle(batch);
        if (batch.isDone()) {
            // Expired or aborted while this request was out. A late success still tells the idempotent
            // producer that the broker has these sequences, which spares an epoch bump.
            if (error == Errors.NONE && idempotence != null) {
                idempotence.acknowledged(batch);
            }
            accumulator.deallocate(batch);
            return;
        }
        if (error == Errors.NONE) {
            succeed(batch, baseOffset, logAppendTimeMs); // settled above, so this frees its buffer
            return;
        }
        if (error.refreshesMetadata()) {
            metadata.requestUpdate();
        }
        IdempotenceManager.Verdict verdict = idempotence != null && batch.hasSequence()
                ? idempotence.onError(batch, error) : null;
        if (verdict == IdempotenceManager.Verdict.SUCCEED) {
            succeed(batch, -1, -1); // DUPLICATE_SEQUENCE_NUMBER: the broker already has it
            return;
        }
        boolean retriable = verdict == null ? error.isRetriable() : verdict == IdempotenceManager.Verdict.RETRY;
        if (retriable && canRetry(batch, now)) {
            long backoffMs = leaderChanged ? 0 : retryBackoff.backoffMs(batch.attempts());
            log.debug("Retrying {} after {} ({}), attempt {}, backoff {} ms", batch, error, message,
                    batch.attempts() + 1, backoffMs);
            batch.backOff(now, backoffMs, error + (message.isEmpty() ? "" : ": " + message));
            metrics.recordRetry();
            accumulator.reenqueue(batch);
            return;
        }
        RuntimeException exception;
        if (error == Errors.MESSAGE_TOO_LARGE || error == Errors.RECORD_LIST_TOO_LARGE) {
            exception = new RecordTooLargeException("The broker refused a batch of " + batch.recordCount()
                    + " record(s) (" + batch.encodedSizeInBytes() + " bytes) for " + batch.topicPartition()
                    + " as too large: " + error + (message.isEmpty() ? "" : ": " + message));
        } else if (retriable && now - batch.createdMs() >= settings.deliveryTimeoutMs()) {
            exception = new TimeoutException("Delivery of " + batch.recordCount() + " record(s) to "
                    + batch.topicPartition() + " timed out after " + (now - batch.createdMs())
                    + " ms (delivery.timeout.ms); last error " + error.exception(message).getMessage());
        } else {
            exception = error.exception(message.isEmpty() ? "producing to " + batch.topicPartition() : message);
        }
        fail(batch, exception, true);
    }

    private boolean canRetry(ProducerBatch batch, long now) {
        return !forceClose && batch.attempts() < settings.retries()
                && now - batch.createdMs() < settings.deliveryTimeoutMs();
    }

    private void abortEverything() {
        for (ProducerBatch batch : accumulator.drainAll()) {
            outcomes.abort(batch, batch.attempts() > 0);
        }
        for (List<ProducerBatch> batches : inFlightBatches.values()) {
            for (ProducerBatch batch : batches) {
                batch.inFlight(false);
                outcomes.abort(batch, true);
                accumulator.deallocate(batch); // for a batch that had already ended (expired) while out
            }
        }
        inFlightBatches.clear();
        mover.abortAll();
    }

    /** Stops taking new work; the loop delivers what was accepted, then exits. */
    public void initiateClose() {
        running = false;
        client.wakeup();
    }

    /** Stops at once: everything pending fails with {@code ProducerClosedException}. */
    public void forceClose() {
        forceClose = true;
        running = false;
        client.wakeup();
    }

    public void wakeup() {
        client.wakeup();
    }

    public DeliveryCounts counts() {
        return outcomes.counts();
    }
}
