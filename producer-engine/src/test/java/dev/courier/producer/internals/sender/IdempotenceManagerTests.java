package dev.courier.producer.internals.sender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.PartitionInfo;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.internals.accumulator.BufferPool;
import dev.courier.producer.internals.accumulator.ProducerBatch;
import dev.courier.producer.internals.accumulator.RecordAccumulator;
import dev.courier.producer.internals.metadata.Cluster;
import dev.courier.producer.internals.metadata.Node;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.record.Compression;
import dev.courier.producer.internals.record.DecodedBatch;
import dev.courier.producer.internals.record.RecordBatchReader;
import dev.courier.producer.internals.util.ManualTime;
import dev.courier.producer.internals.util.Time;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The idempotent producer's sequence rules, driven through a real accumulator acting on its verdicts. */
class IdempotenceManagerTests {

    private static final long PRODUCER_ID = 4711;
    private static final long NOW = 1_000;

    private final Node node0 = new Node(0, "localhost", 9092, null);
    private final Node node1 = new Node(1, "localhost", 9093, null);
    private final TopicPartition tp0 = new TopicPartition("t", 0);
    private final TopicPartition tp1 = new TopicPartition("t", 1);
    private Cluster cluster = clusterWithLeaders(0, 0);
    private final RecordAccumulator accumulator = new RecordAccumulator(16_384, 0, 120_000, Compression.none(),
            // direct batch buffers, as an uncompressed producer has: re-stamping and CRCs must work on them
            new BufferPool(1024 * 1024, 16_384, Time.SYSTEM, true), 1_048_576, new ManualTime(NOW));
    private final InFlightBatches inFlight = new InFlightBatches();
    private final IdempotenceManager idempotence = new IdempotenceManager(inFlight);

    private Cluster clusterWithLeaders(int leaderOfTp0, int leaderOfTp1) {
        return Cluster.of("c", List.of(node0, node1), List.of(partition(tp0, leaderOfTp0), partition(tp1, leaderOfTp1)),
                Map.of(), node0);
    }

    private static Cluster.PartitionState partition(TopicPartition tp, int leader) {
        return new Cluster.PartitionState(new PartitionInfo(tp.topic(), tp.partition(), leader, List.of(0, 1),
                List.of(0, 1)), 0);
    }

    private void append(TopicPartition tp, int records) throws InterruptedException {
        for (int i = 0; i < records; i++) {
            accumulator.append(tp, 1_700_000_000_000L, null, ("v" + i).getBytes(StandardCharsets.UTF_8), List.of(),
                    new CompletableFuture<RecordMetadata>(), null, 0);
        }
    }

    /** Drains whatever the gate lets through for {@code node} and marks it sent there. */
    private List<ProducerBatch> drainAndSend(Node node) {
        List<ProducerBatch> drained = accumulator.drain(cluster, Set.of(node), 1_000_000, NOW, idempotence)
                .getOrDefault(node.id(), List.of());
        for (ProducerBatch batch : drained) {
            inFlight.add(batch, node.id());
        }
        return drained;
    }

    private ProducerBatch sendOne(TopicPartition tp, int records) throws InterruptedException {
        append(tp, records);
        List<ProducerBatch> drained = drainAndSend(cluster.leaderFor(tp));
        assertThat(drained).hasSize(1);
        return drained.get(0);
    }

    /**
     * Sends a one-record batch to {@code tp} and acknowledges it: the broker now holds state for the epoch on
     * the partition, so further batches may be pipelined behind each other.
     */
    private ProducerBatch acknowledgedBatch(TopicPartition tp) throws InterruptedException {
        ProducerBatch batch = sendOne(tp, 1);
        inFlight.remove(batch);
        idempotence.acknowledged(batch);
        return batch;
    }

    private static DecodedBatch decode(ProducerBatch batch) {
        return RecordBatchReader.read(batch.encoded());
    }

    @Test
    void nothingIsDrainedBeforeTheProducerHasAnId() throws Exception {
        append(tp0, 1);
        assertThat(idempotence.needsProducerId()).isTrue();
        assertThat(accumulator.ready(cluster, NOW, idempotence).readyNodes()).isEmpty();
        assertThat(drainAndSend(node0)).isEmpty();

        idempotence.producerIdReceived(PRODUCER_ID, (short) 0);
        assertThat(accumulator.ready(cluster, NOW, idempotence).readyNodes()).containsExactly(node0);
        assertThat(drainAndSend(node0)).hasSize(1);
    }

    @Test
    void eachPartitionNumbersItsRecordsFromZeroInDrainOrder() throws Exception {
        idempotence.producerIdReceived(PRODUCER_ID, (short) 3);
        ProducerBatch first = sendOne(tp0, 3);
        inFlight.remove(first);
        idempotence.acknowledged(first);
        ProducerBatch second = sendOne(tp0, 2);
        ProducerBatch other = sendOne(tp1, 1);

        assertThat(decode(first).baseSequence()).isZero();
        assertThat(decode(second).baseSequence()).isEqualTo(3);
        assertThat(decode(other).baseSequence()).isZero();
        assertThat(decode(second).producerId()).isEqualTo(PRODUCER_ID);
        assertThat(decode(second).producerEpoch()).isEqualTo((short) 3);
        assertThat(second.lastSequence()).isEqualTo(4);
    }

    @Test
    void retriesKeepTheirSequencesAndGoBackInSequenceOrder() throws Exception {
        idempotence.producerIdReceived(PRODUCER_ID, (short) 0);
        acknowledgedBatch(tp0); // sequence 0
        ProducerBatch first = sendOne(tp0, 2);
        ProducerBatch second = sendOne(tp0, 2);
        append(tp0, 1); // a new batch, not sent yet

        // The responses fail in send order; each retry goes back ahead of the unsent batch.
        inFlight.remove(first);
        accumulator.reenqueue(first);
        inFlight.remove(second);
        accumulator.reenqueue(second);

        List<ProducerBatch> resent = drainAndSend(node0);
        assertThat(resent).containsExactly(first);
        inFlight.remove(first);
        idempotence.acknowledged(first);
        assertThat(drainAndSend(node0)).containsExactly(second);
        ProducerBatch third = drainAndSend(node0).get(0);

        assertThat(decode(first).baseSequence()).isEqualTo(1);
        assertThat(decode(second).baseSequence()).isEqualTo(3);
        assertThat(decode(third).baseSequence()).isEqualTo(5);
    }

    @Test
    void aPartitionWaitsWhileItsBatchesAreInFlightToItsOldLeader() throws Exception {
        idempotence.producerIdReceived(PRODUCER_ID, (short) 0);
        acknowledgedBatch(tp0);
        ProducerBatch sent = sendOne(tp0, 1);
        cluster = clusterWithLeaders(1, 1);
        append(tp0, 1);

        assertThat(accumulator.ready(cluster, NOW, idempotence).readyNodes()).isEmpty();
        assertThat(drainAndSend(node1)).isEmpty();

        inFlight.remove(sent);
        idempotence.acknowledged(sent);
        assertThat(drainAndSend(node1)).hasSize(1);
    }

    @Test
    void outOfOrderSequenceIsRetriedWhileAnEarlierBatchIsOutstanding() throws Exception {
        idempotence.producerIdReceived(PRODUCER_ID, (short) 0);
        acknowledgedBatch(tp0);
        sendOne(tp0, 1);
        ProducerBatch second = sendOne(tp0, 1);

        assertThat(idempotence.onError(second, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER))
                .isEqualTo(ProducerIdentity.Verdict.RETRY);
        assertThat(idempotence.bumpRequired()).isFalse();
    }

    @Test
    void outOfOrderSequenceForTheNextExpectedBatchBumpsTheEpoch() throws Exception {
        idempotence.producerIdReceived(PRODUCER_ID, (short) 0);
        ProducerBatch first = sendOne(tp0, 1);

        assertThat(idempotence.onError(first, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER))
                .isEqualTo(ProducerIdentity.Verdict.RETRY);
        assertThat(idempotence.bumpRequired()).isTrue();
    }

    @Test
    void duplicatesSucceedAndAFencedEpochFails() throws Exception {
        idempotence.producerIdReceived(PRODUCER_ID, (short) 0);
        ProducerBatch batch = sendOne(tp0, 1);

        assertThat(idempotence.onError(batch, Errors.DUPLICATE_SEQUENCE_NUMBER))
                .isEqualTo(ProducerIdentity.Verdict.SUCCEED);
        assertThat(idempotence.onError(batch, Errors.INVALID_PRODUCER_EPOCH)).isEqualTo(ProducerIdentity.Verdict.FAIL);
        assertThat(idempotence.onError(batch, Errors.NOT_LEADER_OR_FOLLOWER)).isNull();
    }

    @Test
    void aLostBatchFollowedByAnAcknowledgedOneNeedsNoBump() throws Exception {
        idempotence.producerIdReceived(PRODUCER_ID, (short) 0);
        acknowledgedBatch(tp0);
        ProducerBatch expired = sendOne(tp0, 1);
        ProducerBatch later = sendOne(tp0, 1);

        idempotence.failedAfterSequencing(expired);
        append(tp0, 1);
        assertThat(drainAndSend(node0)).as("nothing new goes while the partition is unresolved").isEmpty();

        inFlight.remove(expired);
        inFlight.remove(later);
        idempotence.acknowledged(later);
        idempotence.resolveSequences();

        assertThat(idempotence.bumpRequired()).isFalse();
        assertThat(decode(drainAndSend(node0).get(0)).baseSequence()).isEqualTo(3);
    }

    @Test
    void aGapInTheSequencesBumpsTheEpochOnceNothingIsInFlightAndRestampsQueuedBatches() throws Exception {
        idempotence.producerIdReceived(PRODUCER_ID, (short) 0);
        acknowledgedBatch(tp0);
        ProducerBatch lost = sendOne(tp0, 1);
        ProducerBatch refused = sendOne(tp0, 2);
        ProducerBatch otherPartition = sendOne(tp1, 1);

        inFlight.remove(lost);
        idempotence.failedAfterSequencing(lost);
        inFlight.remove(refused);
        assertThat(idempotence.onError(refused, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER))
                .isEqualTo(ProducerIdentity.Verdict.RETRY);
        accumulator.reenqueue(refused);
        idempotence.resolveSequences();
        assertThat(idempotence.bumpRequired()).isTrue();

        idempotence.maybeBump(true);
        assertThat(idempotence.epoch()).as("no bump while a request is in flight").isZero();
        assertThat(drainAndSend(node0)).isEmpty();

        inFlight.remove(otherPartition);
        idempotence.acknowledged(otherPartition);
        idempotence.maybeBump(false);
        assertThat(idempotence.epoch()).isEqualTo((short) 1);

        DecodedBatch resent = decode(drainAndSend(node0).get(0));
        assertThat(resent.producerEpoch()).isEqualTo((short) 1);
        assertThat(resent.baseSequence()).isZero();
        assertThat(decode(sendOne(tp1, 1)).baseSequence()).isZero();
    }

    /**
     * The duplicate an epoch bump could cause: a batch whose request went unanswered may have been written;
     * re-stamped for the new epoch, the broker would write it again. It is sent again in its own epoch first.
     */
    @Test
    void aBumpWaitsUntilABatchTheBrokerMayHaveWrittenIsAnsweredInItsOwnEpoch() throws Exception {
        cluster = clusterWithLeaders(0, 1);
        idempotence.producerIdReceived(PRODUCER_ID, (short) 0);
        acknowledgedBatch(tp0);
        acknowledgedBatch(tp1);
        ProducerBatch unanswered = sendOne(tp1, 2);
        ProducerBatch refused = sendOne(tp0, 1);

        inFlight.remove(unanswered);
        assertThat(idempotence.onError(unanswered, Errors.REQUEST_TIMED_OUT)).isNull(); // the error table retries it
        accumulator.reenqueue(unanswered);
        inFlight.remove(refused);
        assertThat(idempotence.onError(refused, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER)) // at the expected sequence
                .isEqualTo(ProducerIdentity.Verdict.RETRY);
        accumulator.reenqueue(refused);
        assertThat(idempotence.bumpRequired()).isTrue();

        idempotence.maybeBump(false);
        assertThat(idempotence.epoch()).as("no bump while a batch's outcome is unknown").isZero();
        assertThat(drainAndSend(node0)).as("the partition that needs the bump waits").isEmpty();
        List<ProducerBatch> settling = drainAndSend(node1);
        assertThat(settling).containsExactly(unanswered);
        assertThat(decode(unanswered).producerEpoch()).isZero();
        assertThat(decode(unanswered).baseSequence()).isEqualTo(1);

        inFlight.remove(unanswered);
        assertThat(idempotence.onError(unanswered, Errors.DUPLICATE_SEQUENCE_NUMBER))
                .isEqualTo(ProducerIdentity.Verdict.SUCCEED); // it had been written: the answer says so
        idempotence.acknowledged(unanswered);
        idempotence.maybeBump(false);
        assertThat(idempotence.epoch()).isEqualTo((short) 1);
        DecodedBatch resent = decode(drainAndSend(node0).get(0));
        assertThat(resent.producerEpoch()).isEqualTo((short) 1);
        assertThat(resent.baseSequence()).isZero();
    }

    @Test
    void aPartitionThatRefusedASequenceWroteNothingAfterItSoItsUnansweredBatchesNeedNoSettling() throws Exception {
        idempotence.producerIdReceived(PRODUCER_ID, (short) 0);
        acknowledgedBatch(tp0);
        ProducerBatch refused = sendOne(tp0, 1);
        ProducerBatch unanswered = sendOne(tp0, 1);

        inFlight.remove(unanswered);
        idempotence.onError(unanswered, Errors.NETWORK_EXCEPTION);
        inFlight.remove(refused);
        idempotence.onError(refused, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER); // at the expected sequence
        accumulator.reenqueue(unanswered);
        accumulator.reenqueue(refused);

        idempotence.maybeBump(false);
        assertThat(idempotence.epoch()).isEqualTo((short) 1);
    }

    @Test
    void aPartitionsFirstBatchOfAnEpochTravelsAloneUntilAcknowledged() throws Exception {
        idempotence.producerIdReceived(PRODUCER_ID, (short) 0);
        ProducerBatch first = sendOne(tp0, 2);
        append(tp0, 1);

        assertThat(accumulator.ready(cluster, NOW, idempotence).readyNodes())
                .as("nothing is pipelined behind the first batch of the epoch").isEmpty();
        assertThat(drainAndSend(node0)).isEmpty();
        assertThat(decode(sendOne(tp1, 1)).baseSequence()).as("other partitions go on").isZero();

        inFlight.remove(first);
        idempotence.acknowledged(first);
        ProducerBatch second = drainAndSend(node0).get(0);
        append(tp0, 1);
        assertThat(drainAndSend(node0)).as("behind an acknowledged batch the partition pipelines").hasSize(1);
        assertThat(decode(second).baseSequence()).isEqualTo(2);
    }

    /**
     * The delivery issue's sequence of events, as it went before the first batch had to travel alone: the broker
     * restarts with no state for the producer on the partition; the first batch (sequence 0) meets the partition
     * before its leadership is back, the batch pipelined behind it after, so the broker writes sequence 2 first
     * and answers every resend of sequence 0 with OUT_OF_ORDER_SEQUENCE_NUMBER.
     */
    @Test
    void theFirstBatchOfAnEpochIsNeverOvertakenByABatchPipelinedBehindIt() throws Exception {
        idempotence.producerIdReceived(PRODUCER_ID, (short) 0);
        ProducerBatch first = sendOne(tp0, 2);
        append(tp0, 2);

        assertThat(drainAndSend(node0)).as("no later sequence can reach the broker before sequence 0").isEmpty();

        // NOT_LEADER_OR_FOLLOWER: an ordinary retriable error, retried with its sequence
        inFlight.remove(first);
        assertThat(idempotence.onError(first, Errors.NOT_LEADER_OR_FOLLOWER)).isNull();
        accumulator.reenqueue(first);
        assertThat(drainAndSend(node0)).as("the resend goes first, and alone").containsExactly(first);
        assertThat(drainAndSend(node0)).isEmpty();
        inFlight.remove(first);
        idempotence.acknowledged(first);

        ProducerBatch second = drainAndSend(node0).get(0);
        assertThat(decode(first).baseSequence()).isZero();
        assertThat(decode(second).baseSequence()).isEqualTo(2);
    }

    /**
     * The safety net: should a broker still write later sequences before a partition's oldest unacknowledged batch
     * (it lost its state for the producer, say to retention), OUT_OF_ORDER_SEQUENCE_NUMBER for that batch is not
     * retried in the same epoch until delivery.timeout.ms: the epoch is bumped and the batch resent re-stamped.
     */
    @Test
    void outOfOrderSequenceForABatchTheBrokerWentPastBumpsTheEpochAndResendsIt() throws Exception {
        idempotence.producerIdReceived(PRODUCER_ID, (short) 0);
        acknowledgedBatch(tp0); // sequence 0
        ProducerBatch refused = sendOne(tp0, 2); // sequences 1-2
        ProducerBatch written = sendOne(tp0, 3); // sequences 3-5

        inFlight.remove(refused);
        assertThat(idempotence.onError(refused, Errors.NOT_LEADER_OR_FOLLOWER)).isNull();
        accumulator.reenqueue(refused);
        inFlight.remove(written);
        idempotence.acknowledged(written); // the broker had forgotten the producer: any sequence goes

        ProducerBatch resent = drainAndSend(node0).get(0);
        assertThat(resent).isSameAs(refused);
        inFlight.remove(refused);
        assertThat(idempotence.onError(refused, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER))
                .isEqualTo(ProducerIdentity.Verdict.RETRY);
        assertThat(idempotence.bumpRequired()).as("retrying in this epoch could never succeed").isTrue();
        accumulator.reenqueue(refused);

        idempotence.maybeBump(false);
        DecodedBatch restamped = decode(drainAndSend(node0).get(0));
        assertThat(restamped.producerEpoch()).isEqualTo((short) 1);
        assertThat(restamped.baseSequence()).isZero();
    }

    @Test
    void anExhaustedEpochAsksForANewProducerId() throws Exception {
        idempotence.producerIdReceived(PRODUCER_ID, Short.MAX_VALUE);
        ProducerBatch batch = sendOne(tp0, 1);
        inFlight.remove(batch);
        idempotence.onError(batch, Errors.UNKNOWN_PRODUCER_ID);

        idempotence.maybeBump(false);

        assertThat(idempotence.needsProducerId()).isTrue();
    }
}
