package dev.courier.producer.internals.sender;

import dev.courier.producer.internals.accumulator.ProducerBatch;
import dev.courier.producer.internals.network.KafkaClient;
import dev.courier.producer.internals.protocol.ApiKey;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.transaction.CoordinatorChannel;
import dev.courier.producer.internals.transaction.TransactionManager;

/**
 * The transactional producer ({@code transactional.id}): idempotent sequences from {@link IdempotenceManager},
 * with the producer id, epoch and transaction boundaries from the {@link TransactionManager}. On the classic
 * protocol a partition's batches are held back until the coordinator has added the partition to the
 * transaction (under transactions v2 the produce request adds it); records still
 * queued when the transaction aborts or fails end with that error; the coordinator requests go out through
 * a {@link CoordinatorChannel} from {@link #maintain}.
 *
 * <p>Unlike the merely idempotent producer it never bumps its epoch by itself: the coordinator owns the
 * epoch, so sequences in doubt make the transaction abortable, and the abort bumps the epoch (EndTxn v5
 * under transactions v2, else InitProducerId, KIP-360).
 */
final class TransactionalIdentity implements ProducerIdentity {

    /** The classic protocol: Produce v12+ would add partitions to the transaction implicitly (that is v2). */
    private static final short MAX_PRODUCE_VERSION_V1 = 11;

    private final TransactionManager transactions;
    private final CoordinatorChannel channel;
    private final IdempotenceManager sequences;
    private final InFlightBatches inFlight;
    private final KafkaClient client;
    private final WaitingRecords waiting;
    private final boolean[] newlyQueued = new boolean[1];
    private Errors lastProduceError;

    TransactionalIdentity(TransactionManager transactions, CoordinatorChannel channel, IdempotenceManager sequences,
                          InFlightBatches inFlight, KafkaClient client, WaitingRecords waiting) {
        this.transactions = transactions;
        this.channel = channel;
        this.sequences = sequences;
        this.inFlight = inFlight;
        this.client = client;
        this.waiting = waiting;
        transactions.setListener(sequences::producerIdReceived);
    }

    @Override
    public boolean mayDrain(ProducerBatch first, int leaderId) {
        newlyQueued[0] = false;
        boolean inTransaction = transactions.mayDrain(first.topicPartition(), newlyQueued);
        if (newlyQueued[0]) {
            client.wakeup(); // so the next loop sends AddPartitionsToTxn without waiting out the poll
        }
        return inTransaction && sequences.mayDrain(first, leaderId);
    }

    @Override
    public void prepare(ProducerBatch batch) {
        batch.markTransactional();
        sequences.prepare(batch);
    }

    @Override
    public long maintain(long nowMs) {
        RuntimeException failure = transactions.undrainedFailure();
        if (failure != null) {
            waiting.failAll(failure); // queued in an aborted or failed transaction: none was sent
        }
        sequences.resolveSequences();
        if (sequences.bumpRequired()) {
            transactions.epochBumpRequired("The broker's sequence numbers for this producer are in doubt"
                    + " after a failed send; the transaction must be aborted (which bumps the epoch)");
        }
        boolean outstanding = !inFlight.isEmpty() || waiting.any();
        return channel.maybeSend(nowMs, outstanding);
    }

    @Override
    public String transactionalId() {
        return transactions.transactionalId();
    }

    @Override
    public short maxProduceVersion() {
        return transactions.transactionsV2() ? ApiKey.PRODUCE.latestVersion : MAX_PRODUCE_VERSION_V1;
    }

    @Override
    public void onAcknowledged(ProducerBatch batch) {
        sequences.acknowledged(batch);
    }

    @Override
    public void onFailed(ProducerBatch batch) {
        if (batch.hasSequence()) {
            sequences.failedAfterSequencing(batch);
        }
        Errors error = lastProduceError;
        transactions.batchFailed(batch.topicPartition(), error == null
                ? "it expired (delivery.timeout.ms) or could not be sent" : error.toString());
    }

    @Override
    public Verdict onError(ProducerBatch batch, Errors error) {
        lastProduceError = error;
        if (error == Errors.INVALID_PRODUCER_EPOCH || error == Errors.PRODUCER_FENCED) {
            transactions.fencedByLeader(batch.topicPartition(), error);
            return Verdict.FAIL;
        }
        if (error == Errors.TRANSACTION_ABORTABLE || error == Errors.INVALID_TXN_STATE) {
            return Verdict.FAIL;
        }
        return batch.hasSequence() ? sequences.onError(batch, error) : null;
    }

    /**
     * Under transactions v2 a partition leader answers CONCURRENT_TRANSACTIONS while the previous transaction's
     * markers are still being written (the coordinator bumped the epoch already): retry soon, not after the full
     * backoff.
     */
    @Override
    public long retryBackoffMs(Errors error, long backoffMs) {
        return error == Errors.CONCURRENT_TRANSACTIONS
                ? Math.min(backoffMs, TransactionManager.CONCURRENT_TRANSACTIONS_BACKOFF_MS) : backoffMs;
    }

    /** Records expire while held when the coordinator never added their partition (or never answered). */
    @Override
    public String holdReason() {
        return "the transaction is " + transactions.state() + " (a partition's records wait until the coordinator"
                + " has added it to the transaction)";
    }
}
