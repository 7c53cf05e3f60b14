package dev.courier.producer.internals.sender;

import dev.courier.producer.internals.accumulator.DrainGate;
import dev.courier.producer.internals.accumulator.PendingRecords;
import dev.courier.producer.internals.accumulator.ProducerBatch;
import dev.courier.producer.internals.accumulator.RecordAccumulator;
import dev.courier.producer.internals.accumulator.RecordAccumulator.ReadyCheck;
import dev.courier.producer.internals.metadata.Cluster;
import dev.courier.producer.internals.metadata.Metadata;
import dev.courier.producer.internals.metadata.Node;
import dev.courier.producer.internals.metrics.ProducerMetrics;
import dev.courier.producer.internals.network.KafkaClient;
import dev.courier.producer.internals.partition.LeaderAvailability;
import dev.courier.producer.internals.partition.RecordPartitioner;
import dev.courier.producer.internals.util.Time;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer's I/O thread: each turn moves records that waited for metadata, lets the producer identity
 * do its upkeep, asks the accumulator which leaders have sendable data, drops those not ready to receive,
 * drains batches for the rest, expires what is too old, sends produce requests, and polls the network.
 *
 * <p>What happens to a request's batches afterwards belongs to {@link ProduceResponseHandler} and
 * {@link BatchCompleter}; which batches are in flight, to {@link InFlightBatches}; what differs between
 * plain, idempotent and transactional producers, to the {@link ProducerIdentity}.
 *
 * <p>Everything here runs on the sender thread except {@link #initiateClose()}, {@link #forceClose()},
 * {@link #requestPurge()} and {@link #wakeup()}.
 */
public final class Sender implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Sender.class);

    private final KafkaClient client;
    private final Metadata metadata;
    private final RecordAccumulator accumulator;
    private final PendingRecords pending;
    private final PendingRecordMover mover;
    private final SenderSettings settings;
    private final Time time;
    private final ProducerIdentity identity;
    private final InFlightBatches inFlight;
    private final BatchCompleter completer;
    private final ProduceRequestBuilder requests;
    /** The identity's gate, plus ordering: with one request in flight per connection, one batch per partition. */
    private final DrainGate drainGate;
    /** Fed each loop for partitioner.availability.timeout.ms; null when that is off. */
    private final LeaderAvailability leaders;
    private final RecordPurger purger;

    // written by the sender thread, read by metrics
    private volatile int inFlightRequests;
    private volatile boolean running = true;
    private volatile boolean forceClose;

    /**
     * @param identity plain, idempotent or transactional: see {@link ProducerIdentity#create} and {@code #transactional}
     * @param inFlight the batches in flight, shared with {@code identity}
     */
    public Sender(KafkaClient client, Metadata metadata, RecordAccumulator accumulator, PendingRecords pending,
                  RecordPartitioner partitioner, BatchOutcomes outcomes, SenderSettings settings,
                  ProducerMetrics metrics, Time time, ProducerIdentity identity, InFlightBatches inFlight) {
        this.client = client;
        this.metadata = metadata;
        this.accumulator = accumulator;
        this.pending = pending;
        this.mover = new PendingRecordMover(pending, accumulator, partitioner, metadata, outcomes,
                settings.maxBlockMs(), settings.deliveryTimings());
        this.settings = settings;
        this.time = time;
        this.identity = identity;
        this.inFlight = inFlight;
        this.completer = new BatchCompleter(identity, inFlight, outcomes, accumulator, metadata, metrics, settings,
                () -> forceClose);
        ProduceResponseHandler responses = new ProduceResponseHandler(completer, outcomes, metadata, metrics,
                settings, time, () -> inFlightRequests = client.inFlightRequestCount());
        this.requests = new ProduceRequestBuilder(settings, identity, inFlight, metadata, metrics, responses);
        this.leaders = partitioner.leaderAvailability();
        this.drainGate = settings.guaranteeMessageOrder() ? new OrderingGate(identity, inFlight) : identity;
        this.purger = new RecordPurger(accumulator, pending, outcomes);
    }

    /** {@code max.in.flight.requests.per.connection=1}: a partition waits while a batch of it is in flight. */
    private record OrderingGate(DrainGate identity, InFlightBatches inFlight) implements DrainGate {
        @Override
        public boolean mayDrain(ProducerBatch first, int leaderId) {
            return !inFlight.contains(first.topicPartition()) && identity.mayDrain(first, leaderId);
        }

        @Override
        public void prepare(ProducerBatch batch) {
            identity.prepare(batch);
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
        purger.runRequested(); // a purge asked for while closing finds nothing left, and says so
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
        purger.runRequested();
        long now = time.monotonicMs();
        long pendingDelayMs = mover.moveReady(now);
        long identityDelayMs = identity.maintain(now);
        long pollTimeoutMs = Math.min(Math.min(pendingDelayMs, identityDelayMs), sendProducerData(now));
        client.poll(Math.max(0, pollTimeoutMs), time.monotonicMs());
        inFlightRequests = client.inFlightRequestCount();
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
        Set<Node> readyNodes = ready.readyNodes(); // ours to trim until the next check
        if (leaders != null) {
            for (Node node : readyNodes) {
                leaders.onSendable(node.id(), now);
            }
        }
        long notReadyTimeoutMs = Long.MAX_VALUE;
        for (Iterator<Node> it = readyNodes.iterator(); it.hasNext(); ) {
            Node node = it.next();
            if (!client.ready(node, now)) {
                it.remove();
                RuntimeException authenticationFailure = client.authenticationFailure(node);
                if (authenticationFailure != null) {
                    completer.failUnauthenticated(cluster, node, authenticationFailure);
                }
                notReadyTimeoutMs = Math.min(notReadyTimeoutMs, client.pollDelayMs(node, now));
            }
        }
        // Before draining: a batch past its delivery timeout must fail, not go out once more.
        completer.expire(now);
        Map<Integer, List<ProducerBatch>> drained = accumulator.drain(cluster, readyNodes, settings.maxRequestSize(), now,
                drainGate);
        if (leaders != null) {
            for (Integer nodeId : drained.keySet()) {
                leaders.onDrained(nodeId, now);
            }
        }
        long pollTimeoutMs = Math.min(ready.nextReadyCheckDelayMs(), notReadyTimeoutMs);
        pollTimeoutMs = Math.min(pollTimeoutMs, completer.timeToNextInFlightExpiry(now));
        // Look again at once only when the drain left something behind: the usual drain empties the queues it
        // takes from, and a poll that does not wait would cost a select and a turn of this loop for nothing.
        if (!readyNodes.isEmpty() && accumulator.drainLeftBatches()) {
            pollTimeoutMs = 0;
        }
        for (Map.Entry<Integer, List<ProducerBatch>> entry : drained.entrySet()) {
            client.send(requests.build(entry.getKey(), entry.getValue(), cluster, now), now);
        }
        return pollTimeoutMs;
    }

    private void abortEverything() {
        completer.abortAll();
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

    /**
     * Asks the sender to purge what is buffered and not yet sent at the start of its next turn (any thread).
     *
     * @return completes with the number of records purged
     */
    public CompletableFuture<Integer> requestPurge() {
        CompletableFuture<Integer> result = purger.request();
        client.wakeup();
        return result;
    }

    public void wakeup() {
        client.wakeup();
    }

}
