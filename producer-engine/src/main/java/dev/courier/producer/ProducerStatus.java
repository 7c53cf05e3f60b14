package dev.courier.producer;

import java.util.List;

/**
 * A snapshot of a producer's record outcomes so far and of how current its view of the cluster is, with the
 * resolved settings that say how current it should be, for shutdown reports and health checks.
 *
 * <p>"Aborted in flight" counts records a forced close gave up on while a broker may already have
 * written them: their outcome is unknown.
 *
 * @param acknowledged      records the broker acknowledged
 * @param failed            records that failed (errors, timeouts), not counting aborted ones
 * @param abortedBeforeSend records a forced close or {@code purge()} failed before any broker saw them
 * @param abortedInFlight   records a forced close failed while a request carrying them was unanswered
 * @param knownBrokers      brokers named by the last metadata response (0 before the first one)
 * @param metadataAgeMs     milliseconds since the last metadata response was applied, or -1 when the
 *                          producer has none (not yet, or it went back to its bootstrap servers)
 * @param closed            whether {@code close} has been called
 * @param metadataMaxAgeMs  the resolved {@code metadata.max.age.ms}: a producer that reaches a broker refreshes
 *                          its metadata at least this often, so {@code metadataAgeMs} well beyond it means
 *                          no broker answers
 * @param requestTimeoutMs  the resolved {@code request.timeout.ms}, the longest one refresh may take
 * @param connections       the broker connections the producer has a state for (the bootstrap addresses before
 *                          the first metadata, the cluster's brokers after), as of the network thread's latest
 *                          loop; empty before the first connection attempt
 */
public record ProducerStatus(long acknowledged, long failed, long abortedBeforeSend, long abortedInFlight,
                             int knownBrokers, long metadataAgeMs, boolean closed, long metadataMaxAgeMs,
                             long requestTimeoutMs, List<BrokerConnection> connections) {

    public ProducerStatus {
        connections = List.copyOf(connections);
    }

    /** Records that will never be acknowledged: failed plus both kinds of aborted. */
    public long notDelivered() {
        return failed + abortedBeforeSend + abortedInFlight;
    }
}
