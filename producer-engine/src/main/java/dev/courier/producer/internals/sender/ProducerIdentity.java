package dev.courier.producer.internals.sender;

import dev.courier.producer.internals.accumulator.DrainGate;
import dev.courier.producer.internals.accumulator.PendingRecords;
import dev.courier.producer.internals.accumulator.RecordAccumulator;
import dev.courier.producer.internals.transaction.CoordinatorChannel;
import dev.courier.producer.internals.transaction.TransactionManager;
import dev.courier.producer.internals.accumulator.ProducerBatch;
import dev.courier.producer.internals.network.KafkaClient;
import dev.courier.producer.internals.protocol.ApiKey;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.util.ExponentialBackoff;
import dev.courier.producer.internals.util.Time;

/**
 * Everything the sender does differently for a plain, an idempotent or a transactional producer, behind
 * one hook: the sender itself never asks which kind it runs. One implementation per kind
 * ({@link PlainIdentity}, {@link IdempotentIdentity}, {@link TransactionalIdentity}); as a {@link DrainGate} it decides which batches
 * may leave the accumulator and stamps them.
 *
 * <p>Sender thread only.
 */
public interface ProducerIdentity extends DrainGate {

    /**
     * The identity the settings ask for. Its requests (InitProducerId) go through {@code client}; which
     * batches are in flight it reads from {@code inFlight}, the sender's.
     */
    static ProducerIdentity create(SenderSettings settings, KafkaClient client, InFlightBatches inFlight,
                                   RecordAccumulator accumulator, PendingRecords pending, BatchOutcomes outcomes,
                                   Time time) {
        if (!settings.idempotent()) {
            return new PlainIdentity();
        }
        IdempotenceManager sequences = new IdempotenceManager(inFlight, settings.events());
        ExponentialBackoff backoff = ExponentialBackoff.of(settings.retryBackoffMs(), settings.retryBackoffMaxMs());
        return new IdempotentIdentity(sequences,
                new ProducerIdRequester(client, sequences, backoff, settings.requestTimeoutMs(), time), inFlight,
                new WaitingRecords(accumulator, pending, outcomes, sequences));
    }

    /**
     * The transactional identity ({@code transactional.id} set): the transaction manager's state machine
     * behind the same hook. Queued records of an aborted transaction end through {@code outcomes}.
     */
    static ProducerIdentity transactional(SenderSettings settings, TransactionManager transactions,
                                          KafkaClient client, InFlightBatches inFlight, RecordAccumulator accumulator,
                                          PendingRecords pending, BatchOutcomes outcomes, Time time) {
        IdempotenceManager sequences = new IdempotenceManager(inFlight, settings.events());
        ExponentialBackoff backoff = ExponentialBackoff.of(settings.retryBackoffMs(), settings.retryBackoffMaxMs());
        CoordinatorChannel channel = new CoordinatorChannel(transactions, client, backoff, settings.requestTimeoutMs(),
                time);
        return new TransactionalIdentity(transactions, channel, sequences, inFlight, client,
                new WaitingRecords(accumulator, pending, outcomes, sequences));
    }

    /** What to do with a batch the broker answered with an error the identity understands. */
    enum Verdict {
        /** The broker already has the batch (a duplicate of a write that succeeded). */
        SUCCEED,
        /** Send it again (possibly after the identity has repaired its state). */
        RETRY,
        /** Fail it for good. */
        FAIL
    }

    /**
     * Once per sender loop, before batches are drained: settle state, and send the identity's own
     * requests (InitProducerId) when they are due.
     *
     * @return how long the sender may sleep as far as the identity is concerned
     */
    long maintain(long nowMs);

    /** The transactional id produce requests carry, or null. */
    String transactionalId();

    /** The highest Produce version this identity may use (a transaction on the classic protocol caps it at 11). */
    default short maxProduceVersion() {
        return ApiKey.PRODUCE.latestVersion;
    }

    /** The broker wrote the batch, or already had it; also for a batch that had ended (expired) meanwhile. */
    void onAcknowledged(ProducerBatch batch);

    /** The batch failed for good after it was drained (whether or not a broker saw it). */
    void onFailed(ProducerBatch batch);

    /**
     * The identity's verdict on a broker error for the batch, or null to leave it to the error table
     * ({@link Errors#isRetriable()}).
     */
    Verdict onError(ProducerBatch batch, Errors error);

    /**
     * How long to wait before retrying a batch the broker answered with {@code error}, given the usual
     * exponential {@code backoffMs}: the identity may shorten it for errors it knows clear quickly.
     */
    default long retryBackoffMs(Errors error, long backoffMs) {
        return backoffMs;
    }

    /** Why batches are held back (no producer id yet, and the last attempt's error), or null. */
    String holdReason();
}
