package dev.courier.producer.internals.sender;

import dev.courier.producer.errors.RecordTooLargeException;
import dev.courier.producer.errors.TimeoutException;
import dev.courier.producer.internals.accumulator.ProducerBatch;
import dev.courier.producer.internals.accumulator.RecordAccumulator;
import dev.courier.producer.internals.metadata.Cluster;
import dev.courier.producer.internals.metadata.Metadata;
import dev.courier.producer.internals.metadata.Node;
import dev.courier.producer.internals.metadata.TopicPartition;
import dev.courier.producer.internals.metrics.ProducerMetrics;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.util.ExponentialBackoff;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides how a drained batch goes on: succeed, retry (after a metadata refresh when
 * the error calls for one), or fail for good, from the error table ({@link Errors}) and the producer
 * identity's verdict. Also expires batches that outlived {@code delivery.timeout.ms}, queued or in flight.
 *
 * <p>Sender thread only.
 */
final class BatchCompleter {

    private static final Logger log = LoggerFactory.getLogger(BatchCompleter.class);

    private final ProducerIdentity identity;
    private final InFlightBatches inFlight;
    private final BatchOutcomes outcomes;
    private final RecordAccumulator accumulator;
    private final Metadata metadata;
    private final ProducerMetrics metrics;
    private final SenderSettings settings;
    private final ExponentialBackoff retryBackoff;
    private final BooleanSupplier closingForcibly;
    /**
     * The last error a partition's batch got, until one of its batches succeeds: a batch that expires
     * without an attempt of its own waited behind it (a partition sends in order), and says so.
     */
    private final Map<TopicPartition, String> partitionErrors = new HashMap<>();

    BatchCompleter(ProducerIdentity identity, InFlightBatches inFlight, BatchOutcomes outcomes,
                   RecordAccumulator accumulator, Metadata metadata, ProducerMetrics metrics, SenderSettings settings,
                   BooleanSupplier closingForcibly) {
        this.identity = identity;
        this.inFlight = inFlight;
        this.outcomes = outcomes;
        this.accumulator = accumulator;
        this.metadata = metadata;
        this.metrics = metrics;
        this.settings = settings;
        this.retryBackoff = ExponentialBackoff.of(settings.retryBackoffMs(), settings.retryBackoffMaxMs());
        this.closingForcibly = closingForcibly;
    }

    /**
     * The request carrying the batch is over, with {@code error} for the batch (NONE on success).
     *
     * @param leaderChanged the response named a new leader for the partition, so a retry need not back off
     */
    void complete(ProducerBatch batch, Errors error, String message, long baseOffset, long logAppendTimeMs,
                  boolean leaderChanged, long now) {
        inFlight.remove(batch);
        if (batch.isDone()) {
            // Expired or aborted while this request was out. A late success still tells the identity that
            // the broker has these sequences, which spares an epoch bump.
            if (error == Errors.NONE) {
                identity.onAcknowledged(batch);
            }
            accumulator.deallocate(batch);
            return;
        }
        if (error == Errors.NONE) {
            if (!partitionErrors.isEmpty()) {
                partitionErrors.remove(batch.topicPartition());
            }
            succeed(batch, baseOffset, logAppendTimeMs, now);
            return;
        }
        partitionErrors.put(batch.topicPartition(), error + (message.isEmpty() ? "" : ": " + message));
        if (error.refreshesMetadata()) {
            metadata.requestUpdate();
        }
        ProducerIdentity.Verdict verdict = identity.onError(batch, error);
        if (verdict == null && isTooLarge(error) && batch.recordCount() > 1 && !closingForcibly.getAsBoolean()
                && trySplit(batch)) {
            return; // the broker wrote none of it: its sequences pass to the pieces, later batches keep theirs
        }
        if (verdict == ProducerIdentity.Verdict.SUCCEED) {
            succeed(batch, -1, -1, now); // DUPLICATE_SEQUENCE_NUMBER: the broker already has it
            return;
        }
        boolean retriable = verdict == null ? error.isRetriable() : verdict == ProducerIdentity.Verdict.RETRY;
        if (retriable && canRetry(batch, now)) {
            long backoffMs = leaderChanged ? 0
                    : identity.retryBackoffMs(error, retryBackoff.backoffMs(batch.attempts()));
            log.debug("Retrying {} after {} ({}), attempt {}, backoff {} ms", batch, error, message,
                    batch.attempts() + 1, backoffMs);
            batch.backOff(now, backoffMs, error + (message.isEmpty() ? "" : ": " + message));
            metrics.recordRetry();
            settings.events().retry(batch, batch.attempts(), error.name(), backoffMs);
            accumulator.reenqueue(batch);
            return;
        }
        fail(batch, finalException(batch, error, message, retriable, now), true);
    }

    /** The request could not be sent at all (no API version both sides speak): the batch fails unsent. */
    void failUnsent(ProducerBatch batch, RuntimeException exception) {
        inFlight.remove(batch);
        fail(batch, exception, false);
    }

    /** An acks=0 request was written at {@code now}: that is all the acknowledgement there will be. */
    void completeUnacknowledged(ProducerBatch batch, long now) {
        inFlight.remove(batch);
        succeed(batch, -1, -1, now);
    }

    private RuntimeException finalException(ProducerBatch batch, Errors error, String message, boolean retriable,
                                            long now) {
        if (isTooLarge(error)) {
            String what = batch.recordCount() == 1 ? "a record in a batch of " + batch.encodedSizeInBytes()
                    + " bytes" : "a batch of " + batch.recordCount() + " records (" + batch.encodedSizeInBytes()
                    + " bytes) and it could not be split";
            return new RecordTooLargeException("The broker refused " + what + " for " + batch.topicPartition()
                    + " as too large (" + error + (message.isEmpty() ? "" : ": " + message) + "): it exceeds the "
                    + "topic's max.message.bytes (or the broker's message.max.bytes), which the producer is not told");
        }
        if (retriable && now - batch.createdMs() >= settings.deliveryTimeoutMs()) {
            return new TimeoutException("Delivery of " + batch.recordCount() + " record(s) to "
                    + batch.topicPartition() + " timed out after " + (now - batch.createdMs())
                    + " ms (delivery.timeout.ms); last error " + error.exception(message).getMessage());
        }
        return error.toException(message.isEmpty() ? "producing to " + batch.topicPartition() : message);
    }

    /** Splits the batch into smaller ones queued in its place; false, with a warning, when it cannot be. */
    private boolean trySplit(ProducerBatch batch) {
        try {
            int parts = accumulator.splitAndReenqueue(batch);
            if (parts > 0) {
                log.debug("Split a batch of {} records ({} bytes) for {} into {} after the broker refused it as too "
                        + "large", batch.recordCount(), batch.encodedSizeInBytes(), batch.topicPartition(), parts);
                metrics.recordSplit();
                settings.events().batchSplit(batch, parts);
                return true;
            }
            log.warn("No memory to split a batch of {} records for {}; failing it", batch.recordCount(),
                    batch.topicPartition());
        } catch (RuntimeException e) {
            log.warn("Could not split a batch of {} records for {}; failing it", batch.recordCount(),
                    batch.topicPartition(), e);
        }
        return false;
    }

    private static boolean isTooLarge(Errors error) {
        return error == Errors.MESSAGE_TOO_LARGE || error == Errors.RECORD_LIST_TOO_LARGE;
    }

    private boolean canRetry(ProducerBatch batch, long now) {
        return !closingForcibly.getAsBoolean() && batch.attempts() < settings.retries()
                && now - batch.createdMs() < settings.deliveryTimeoutMs();
    }

    /** @param now when the last attempt was answered */
    private void succeed(ProducerBatch batch, long baseOffset, long logAppendTimeMs, long now) {
        if (settings.deliveryTimings() && !batch.isDone()) {
            batch.timeDelivery(now, settings.lingerMs());
        }
        identity.onAcknowledged(batch);
        outcomes.succeed(batch, baseOffset, logAppendTimeMs);
    }

    /** Fails a batch for good; the identity notes the sequences it may leave missing. */
    private void fail(ProducerBatch batch, RuntimeException exception, boolean wasSent) {
        if (!batch.isDone()) {
            identity.onFailed(batch);
        }
        outcomes.fail(batch, exception, wasSent);
    }

    /** Fails the queued batches of a broker the client cannot authenticate to, with that failure. */
    void failUnauthenticated(Cluster cluster, Node node, RuntimeException failure) {
        for (ProducerBatch batch : accumulator.removeBatchesLedBy(cluster, node.id())) {
            fail(batch, failure, batch.attempts() > 0);
        }
    }

    /** Fails queued and in-flight batches older than {@code delivery.timeout.ms}. */
    void expire(long now) {
        List<ProducerBatch> queuedExpired = accumulator.expiredBatches(now);
        for (int i = 0; i < queuedExpired.size(); i++) {
            ProducerBatch batch = queuedExpired.get(i);
            String heldBackBy = batch.lastAttemptError() == null ? partitionErrors.get(batch.topicPartition()) : null;
            fail(batch, expiredException(batch, now, heldBackBy), batch.attempts() > 0);
        }
        long cutoff = now - settings.deliveryTimeoutMs();
        if (inFlight.oldestUndoneCreatedMs() <= cutoff) {
            List<ProducerBatch> expired = new ArrayList<>();
            inFlight.forEach(batch -> {
                if (!batch.isDone() && batch.createdMs() <= cutoff) {
                    expired.add(batch);
                }
            });
            for (ProducerBatch batch : expired) {
                // Its buffer stays with the request until the request completes.
                fail(batch, expiredException(batch, now, null), true);
            }
        }
    }

    /** Milliseconds until the first in-flight batch expires (0 if one is due), or Long.MAX_VALUE. */
    long timeToNextInFlightExpiry(long now) {
        long oldest = inFlight.oldestUndoneCreatedMs();
        return oldest == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, oldest + settings.deliveryTimeoutMs() - now);
    }

    /**
     * @param heldBackBy for a batch never attempted, the last error of its partition (earlier batches that
     *                   kept it queued), or null
     */
    private TimeoutException expiredException(ProducerBatch batch, long now, String heldBackBy) {
        String held = identity.holdReason();
        String lastError = batch.lastAttemptError() != null
                ? "; " + batch.attempts() + " attempt(s) failed, the last with " + batch.lastAttemptError()
                : heldBackBy != null ? "; queued behind batches of the partition whose last attempt failed with "
                        + heldBackBy : "";
        return new TimeoutException("Expiring " + batch.recordCount() + " record(s) for " + batch.topicPartition()
                + ": " + (now - batch.createdMs()) + " ms has passed since batch creation (delivery.timeout.ms is "
                + settings.deliveryTimeoutMs() + ")" + lastError + (held == null ? "" : "; " + held));
    }

    /** Forced close: every queued and in-flight batch fails with {@code ProducerClosedException}. */
    void abortAll() {
        for (ProducerBatch batch : accumulator.drainAll()) {
            outcomes.abort(batch, batch.attempts() > 0);
        }
        for (ProducerBatch batch : inFlight.removeAll()) {
            outcomes.abort(batch, true);
            accumulator.deallocate(batch); // for a batch that had already ended (expired) while out
        }
    }
}
