package dev.courier.producer.internals.sender;

import dev.courier.producer.internals.accumulator.DrainGate;
import dev.courier.producer.internals.accumulator.ProducerBatch;
import dev.courier.producer.internals.events.EngineEvents;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.record.Sequences;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idempotent producer's bookkeeping: its producer id and epoch, and per partition the next sequence
 * to give out, the last one acknowledged, and where its in-flight batches went.
 *
 * <p>The rules, as Kafka's producer and broker agree on them:
 * <ul>
 *   <li>A batch gets its base sequence when it is first drained and keeps it across retries, so a
 *       resend the broker already wrote is recognised as a duplicate and answered with the original
 *       offset.</li>
 *   <li>A partition's batches go only to the node that all of its in-flight batches went to: one
 *       connection delivers them in order, so the broker sees sequences in order. Retried batches
 *       re-enter their queue in sequence order (see {@code RecordAccumulator.reenqueue}).</li>
 *   <li>A partition's first batch of an epoch travels alone: nothing follows it until it is acknowledged.
 *       A broker with no state for the producer id on a partition accepts <em>any</em> sequence, so if
 *       that first batch were refused retriably (NOT_LEADER_OR_FOLLOWER while a restarted broker takes
 *       its leaderships back, say) and a batch pipelined behind it written, the broker's sequence would
 *       move past the first batch and never take it.</li>
 *   <li>OUT_OF_ORDER_SEQUENCE_NUMBER for a batch at or behind the next sequence the partition expects
 *       (no earlier batch is left to deliver) cannot be cured by retrying: the epoch is bumped.</li>
 *   <li>A batch that had a sequence and then failed for good (expired, or a non-retriable error) leaves
 *       its partition <em>unresolved</em>: nothing more goes to it until its in-flight batches are back.
 *       If one of them was acknowledged past the failed batch, the broker had it and all is well;
 *       otherwise the sequence has a gap the broker would refuse forever, so the epoch is bumped.</li>
 *   <li>A bump waits until no produce request is in flight, then increments the epoch locally (or asks
 *       for a new producer id once the epoch is exhausted); every partition restarts at sequence 0 and
 *       queued batches of the old epoch are re-stamped when drained.</li>
 *   <li>A bump also waits for every queued batch whose last attempt ended without an answer (request
 *       timeout, lost connection): the broker may have written it, and a re-stamped copy would then be
 *       written a second time. Until the bump, such batches alone may be drained, in their own epoch, so
 *       the broker's answer (written, duplicate, or refused) settles them first.</li>
 * </ul>
 *
 * <p>Which batches are in flight, and where they went, it reads from {@link InFlightBatches}, their one
 * owner. Sender thread only.
 */
final class IdempotenceManager implements DrainGate {

    private static final Logger log = LoggerFactory.getLogger(IdempotenceManager.class);

    private final InFlightBatches inFlight;
    private final EngineEvents events;
    private long producerId = -1;
    private short epoch = -1;
    private boolean bumpRequired;
    /** Why the pending bump was asked for, for its event. */
    private String bumpReason;
    private final Map<TopicPartition, PartitionSequences> partitions = new HashMap<>();
    /**
     * Batches of the current epoch back in their queue after an attempt with no answer: the broker may
     * have written them. Sent again in this epoch before any bump (see the class comment).
     */
    private final Set<ProducerBatch> outcomeUnknown = new HashSet<>();

    /** Per-partition sequence state for the current producer id and epoch. */
    private static final class PartitionSequences {
        int nextSequence;
        int lastAckedSequence = -1;
        boolean unresolved;
        int unresolvedLastSequence = -1;
    }

    IdempotenceManager(InFlightBatches inFlight) {
        this(inFlight, EngineEvents.NONE);
    }

    /** @param events told of each epoch bump */
    IdempotenceManager(InFlightBatches inFlight, EngineEvents events) {
        this.inFlight = inFlight;
        this.events = events;
    }

    /** Whether produce requests must wait for a producer id (none yet, or the epoch ran out). */
    boolean needsProducerId() {
        return producerId < 0;
    }

    long producerId() {
        return producerId;
    }

    short epoch() {
        return epoch;
    }

    /** A new producer id from InitProducerId: every partition starts over at sequence 0. */
    void producerIdReceived(long newProducerId, short newEpoch) {
        if (newProducerId != producerId) {
            log.info("Producer id {} epoch {}", newProducerId, newEpoch);
        } else {
            log.debug("Producer id {} epoch {}", newProducerId, newEpoch); // e.g. every transaction under TV2
        }
        producerId = newProducerId;
        epoch = newEpoch;
        bumpRequired = false;
        bumpReason = null;
        partitions.clear();
        outcomeUnknown.clear();
    }

    @Override
    public boolean mayDrain(ProducerBatch first, int leaderId) {
        if (producerId < 0) {
            return false;
        }
        TopicPartition tp = first.topicPartition();
        PartitionSequences p = partitions.get(tp);
        if (bumpRequired) {
            // Only partitions holding a batch the broker may already have drain, in their own epoch and
            // order (retries ahead of it included), so that its answer comes before any re-stamp.
            return isCurrent(first) && hasOutcomeUnknown(tp) && mayFollowInFlight(p, tp, leaderId);
        }
        if (p != null && p.unresolved) {
            return false;
        }
        return mayFollowInFlight(p, tp, leaderId);
    }

    private boolean hasOutcomeUnknown(TopicPartition tp) {
        for (ProducerBatch batch : outcomeUnknown) {
            if (batch.topicPartition().equals(tp)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The broker refused a batch at or behind the next sequence it expects: it wrote nothing from there on,
     * so the partition's later batches without an answer were not written either.
     */
    private void notWrittenFromHereOn(TopicPartition tp) {
        outcomeUnknown.removeIf(batch -> batch.topicPartition().equals(tp));
    }

    /** Same node as the partition's in-flight batches, and never pipelined behind an epoch's first batch. */
    private boolean mayFollowInFlight(PartitionSequences p, TopicPartition tp, int leaderId) {
        int inFlightNode = inFlight.nodeOf(tp);
        if (inFlightNode < 0) {
            return true;
        }
        // Pipeline only behind an acknowledged batch of this epoch: until the broker holds state for it,
        // it would accept a later sequence first and refuse the first batch forever.
        return p != null && p.lastAckedSequence >= 0 && inFlightNode == leaderId;
    }

    @Override
    public void prepare(ProducerBatch batch) {
        if (batch.hasSequence() && batch.producerId() == producerId && batch.producerEpoch() == epoch) {
            outcomeUnknown.remove(batch); // sent again: its answer will settle it
            return; // a retry keeps its sequence
        }
        PartitionSequences p = sequencesFor(batch.topicPartition());
        int sequence = p.nextSequence;
        p.nextSequence = Sequences.increment(sequence, batch.recordCount());
        if (batch.hasSequence()) {
            log.debug("Re-stamping {} for epoch {} at sequence {}", batch, epoch, sequence);
        }
        batch.setProducerState(producerId, epoch, sequence);
    }

    /** The broker wrote the batch (or already had it). */
    void acknowledged(ProducerBatch batch) {
        outcomeUnknown.remove(batch);
        if (!isCurrent(batch)) {
            return;
        }
        PartitionSequences p = sequencesFor(batch.topicPartition());
        if (p.lastAckedSequence < 0 || Sequences.before(p.lastAckedSequence, batch.lastSequence())) {
            p.lastAckedSequence = batch.lastSequence();
        }
    }

    /**
     * The batch ended with an error after it had sequence numbers: whether the broker has it is
     * unknown, so its partition stays unresolved until the in-flight batches tell.
     */
    void failedAfterSequencing(ProducerBatch batch) {
        outcomeUnknown.remove(batch); // its partition's resolution takes over
        if (!isCurrent(batch)) {
            return;
        }
        PartitionSequences p = sequencesFor(batch.topicPartition());
        if (!p.unresolved || Sequences.before(p.unresolvedLastSequence, batch.lastSequence())) {
            p.unresolvedLastSequence = batch.lastSequence();
        }
        p.unresolved = true;
    }

    /**
     * Decides about an error that concerns sequence numbers; other errors return null and are handled as
     * for any producer.
     */
    ProducerIdentity.Verdict onError(ProducerBatch batch, Errors error) {
        if (error == Errors.REQUEST_TIMED_OUT || error == Errors.NETWORK_EXCEPTION) {
            if (isCurrent(batch)) {
                outcomeUnknown.add(batch); // no answer: the broker may have written it
            }
        } else {
            outcomeUnknown.remove(batch); // the broker answered: it did not write the batch
        }
        switch (error) {
            case DUPLICATE_SEQUENCE_NUMBER:
                return ProducerIdentity.Verdict.SUCCEED;
            case OUT_OF_ORDER_SEQUENCE_NUMBER:
                if (!isCurrent(batch)) {
                    return ProducerIdentity.Verdict.RETRY; // sent before a bump; re-stamped on its next drain
                }
                PartitionSequences p = sequencesFor(batch.topicPartition());
                int expected = Sequences.increment(p.lastAckedSequence, 1);
                if (Sequences.before(expected, batch.baseSequence())) {
                    return ProducerIdentity.Verdict.RETRY; // an earlier batch is still to be (re)delivered
                }
                if (batch.baseSequence() == expected) {
                    log.warn("{}: the broker lost sequence numbers before {} (OUT_OF_ORDER_SEQUENCE_NUMBER); "
                            + "bumping the epoch", batch.topicPartition(), batch.baseSequence());
                } else {
                    // The broker wrote later sequences without it (it had no state for this producer on the
                    // partition and took a later batch first): no resend in this epoch can ever be accepted.
                    log.warn("{}: the broker refuses sequence {} (OUT_OF_ORDER_SEQUENCE_NUMBER) after writing "
                            + "sequences up to {} of producer id {} epoch {}; bumping the epoch to resend its {} "
                            + "record(s), which land after those later ones", batch.topicPartition(),
                            batch.baseSequence(), p.lastAckedSequence, producerId, epoch, batch.recordCount());
                }
                notWrittenFromHereOn(batch.topicPartition());
                requestBump("OUT_OF_ORDER_SEQUENCE_NUMBER for " + batch.topicPartition() + " at sequence "
                        + batch.baseSequence());
                return ProducerIdentity.Verdict.RETRY;
            case UNKNOWN_PRODUCER_ID:
                log.warn("{}: the broker has no state for producer id {} (UNKNOWN_PRODUCER_ID); bumping the epoch",
                        batch.topicPartition(), producerId);
                notWrittenFromHereOn(batch.topicPartition());
                requestBump("UNKNOWN_PRODUCER_ID for " + batch.topicPartition());
                return ProducerIdentity.Verdict.RETRY;
            case INVALID_PRODUCER_EPOCH:
                return ProducerIdentity.Verdict.FAIL;
            default:
                return null;
        }
    }

    /**
     * Settles unresolved partitions whose in-flight batches are all back: an acknowledgement past the
     * failed batch proves the broker had it; otherwise its sequences left a gap and a bump is needed.
     */
    void resolveSequences() {
        for (Map.Entry<TopicPartition, PartitionSequences> entry : partitions.entrySet()) {
            PartitionSequences p = entry.getValue();
            if (!p.unresolved || inFlight.contains(entry.getKey())) {
                continue;
            }
            if (p.lastAckedSequence >= 0 && !Sequences.before(p.lastAckedSequence, p.unresolvedLastSequence)) {
                p.unresolved = false;
            } else {
                log.info("{}: sequence {} may be missing on the broker; bumping the epoch", entry.getKey(),
                        p.unresolvedLastSequence);
                requestBump("sequence " + p.unresolvedLastSequence + " of " + entry.getKey()
                        + " may be missing on the broker after a batch failed");
            }
        }
    }

    /**
     * Bumps the epoch if one is due and nothing is in flight. When the epoch is exhausted the producer id
     * is dropped instead, so that {@link #needsProducerId()} asks for a new one.
     */
    void maybeBump(boolean produceRequestsInFlight) {
        if (!bumpRequired || produceRequestsInFlight || !outcomeUnknown.isEmpty()) {
            return;
        }
        bumpRequired = false;
        partitions.clear();
        long oldProducerId = producerId;
        short oldEpoch = epoch;
        if (epoch == Short.MAX_VALUE) {
            log.info("Producer id {} ran out of epochs; asking for a new one", producerId);
            producerId = -1;
            epoch = -1;
        } else {
            epoch++;
            log.info("Bumped the epoch of producer id {} to {}; sequences restart at 0", producerId, epoch);
        }
        events.epochBump(oldProducerId, oldEpoch, epoch, bumpReason);
        bumpReason = null;
    }

    private void requestBump(String reason) {
        if (!bumpRequired) {
            bumpReason = reason;
        }
        bumpRequired = true;
    }

    boolean bumpRequired() {
        return bumpRequired;
    }

    private boolean isCurrent(ProducerBatch batch) {
        return batch.hasSequence() && batch.producerId() == producerId && batch.producerEpoch() == epoch;
    }

    private PartitionSequences sequencesFor(TopicPartition tp) {
        PartitionSequences p = partitions.get(tp);
        if (p == null) {
            p = new PartitionSequences();
            partitions.put(tp, p);
        }
        return p;
    }
}
