package dev.courier.producer.internals.config;

import static dev.courier.producer.ProducerConfig.ACKS;
import static dev.courier.producer.ProducerConfig.ENABLE_IDEMPOTENCE;
import static dev.courier.producer.ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION;
import static dev.courier.producer.ProducerConfig.TRANSACTIONAL_ID;
import static dev.courier.producer.ProducerConfig.TRANSACTION_TIMEOUT_MS;

import dev.courier.producer.errors.ConfigException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the producer is idempotent and whether it is transactional (enable.idempotence, transactional.id,
 * transaction.timeout.ms), resolved together because they constrain each other and acks, retries and
 * max.in.flight.requests.per.connection: a transactional producer is idempotent with acks=all, and idempotence
 * must fit acks, retries and the requests in flight.
 *
 * <p>Immutable; built once, on the thread that builds the {@link ProducerSettings}, which owns it and exposes
 * its values.
 */
final class IdempotenceSettings {

    /** Under ProducerSettings' name, where these configuration messages have always been logged. */
    private static final Logger log = LoggerFactory.getLogger(ProducerSettings.class);

    /** As in Kafka 3+: on unless the user turns it off or sets acks/retries that contradict it. */
    static final boolean DEFAULT_ENABLE_IDEMPOTENCE = true;
    /** Kafka refuses idempotence with more in-flight requests than the broker tracks per producer. */
    static final int MAX_IN_FLIGHT_FOR_IDEMPOTENCE = 5;

    /** Null for a producer without transactions. */
    final String transactionalId;
    final int transactionTimeoutMs;
    final boolean enableIdempotence;

    private IdempotenceSettings(String transactionalId, int transactionTimeoutMs, boolean enableIdempotence) {
        this.transactionalId = transactionalId;
        this.transactionTimeoutMs = transactionTimeoutMs;
        this.enableIdempotence = enableIdempotence;
    }

    /**
     * Reads transactional.id, transaction.timeout.ms and enable.idempotence, checked against the already
     * parsed {@code acks}, {@code retries} and {@code maxInFlight}.
     *
     * @throws ConfigException for a transactional producer without idempotence or acks=all, and as
     *                         {@link #validate} does
     */
    static IdempotenceSettings resolve(ConfigValues v, short acks, int retries, int maxInFlight) {
        String transactionalId = parseTransactionalId(v);
        int transactionTimeoutMs = v.intAtLeast(TRANSACTION_TIMEOUT_MS, 60_000, 1);
        Boolean explicitIdempotence = v.explicitBool(ENABLE_IDEMPOTENCE);
        if (transactionalId != null && Boolean.FALSE.equals(explicitIdempotence)) {
            throw new ConfigException(ENABLE_IDEMPOTENCE, false, "a transactional producer (transactional.id is set)"
                    + " is idempotent; set enable.idempotence=true or leave it unset");
        }
        if (transactionalId != null && acks != -1) {
            throw new ConfigException(ACKS, v.rawValue(ACKS), "a transactional producer (transactional.id is set)"
                    + " needs acks=all");
        }
        boolean enableIdempotence = validate(transactionalId != null ? Boolean.TRUE : explicitIdempotence,
                acks, retries, maxInFlight);
        return new IdempotenceSettings(transactionalId, transactionTimeoutMs, enableIdempotence);
    }

    /** Null when unset; an empty or blank id is refused rather than silently meaning "not transactional". */
    private static String parseTransactionalId(ConfigValues v) {
        if (!v.isSet(TRANSACTIONAL_ID)) {
            return null;
        }
        String id = v.string(TRANSACTIONAL_ID, null);
        if (id == null || id.isBlank()) {
            throw new ConfigException(TRANSACTIONAL_ID, v.rawValue(TRANSACTIONAL_ID),
                    "a non-empty string, or leave it unset for a non-transactional producer");
        }
        return id;
    }

    /**
     * Decides whether the producer is idempotent, with Kafka 4.x's rules: an explicit request that
     * conflicts with acks or retries is an error, while idempotence that is only on by default is
     * quietly dropped; once idempotent, more than five requests in flight is an error either way
     * (the broker remembers only the last five batches per partition for duplicate detection).
     *
     * @param explicit the user's enable.idempotence, or null when not set
     */
    static boolean validate(Boolean explicit, short acks, int retries, int maxInFlight) {
        boolean wanted = explicit != null ? explicit : DEFAULT_ENABLE_IDEMPOTENCE;
        if (!wanted) {
            return false;
        }
        List<String> conflicts = new ArrayList<>(2);
        if (acks != -1) {
            conflicts.add("acks=" + acks + " (needs all)");
        }
        if (retries == 0) {
            conflicts.add("retries=0 (needs at least 1)");
        }
        if (!conflicts.isEmpty()) {
            if (explicit != null) {
                throw new ConfigException(ENABLE_IDEMPOTENCE, explicit,
                        "idempotence conflicts with " + String.join(" and ", conflicts));
            }
            log.info("Idempotence disabled because of {}", String.join(" and ", conflicts));
            return false;
        }
        if (maxInFlight > MAX_IN_FLIGHT_FOR_IDEMPOTENCE) {
            throw new ConfigException(MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, maxInFlight,
                    "must be at most " + MAX_IN_FLIGHT_FOR_IDEMPOTENCE
                            + " while idempotence is enabled; set enable.idempotence=false to allow more");
        }
        return true;
    }
}
