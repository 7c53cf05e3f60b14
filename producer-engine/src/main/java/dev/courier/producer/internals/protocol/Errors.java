package dev.courier.producer.internals.protocol;

import dev.courier.producer.errors.BrokerException;
import dev.courier.producer.errors.ClusterAuthorizationException;
import dev.courier.producer.errors.CourierException;
import dev.courier.producer.errors.SaslAuthenticationException;
import dev.courier.producer.errors.TopicAuthorizationException;
import dev.courier.producer.errors.TransactionalIdAuthorizationException;

/**
 * Kafka error codes a producer can meet, with Kafka's own classification: {@code retriable} (the
 * condition is transient; retry within delivery.timeout.ms) and {@code refreshesMetadata} (the error
 * means our cluster view is stale; request a metadata update as well as retrying).
 */
public enum Errors {
    // Produce
    UNKNOWN_SERVER_ERROR(-1, false, false),
    NONE(0, false, false),
    CORRUPT_MESSAGE(2, true, false),
    UNKNOWN_TOPIC_OR_PARTITION(3, true, true),
    LEADER_NOT_AVAILABLE(5, true, true),
    NOT_LEADER_OR_FOLLOWER(6, true, true),
    REQUEST_TIMED_OUT(7, true, false),
    REPLICA_NOT_AVAILABLE(9, true, true),
    MESSAGE_TOO_LARGE(10, false, false),
    NETWORK_EXCEPTION(13, true, true),
    RECORD_LIST_TOO_LARGE(18, false, false),
    NOT_ENOUGH_REPLICAS(19, true, false),
    NOT_ENOUGH_REPLICAS_AFTER_APPEND(20, true, false),
    INVALID_REQUIRED_ACKS(21, false, false),
    TOPIC_AUTHORIZATION_FAILED(29, false, false),
    CLUSTER_AUTHORIZATION_FAILED(31, false, false),
    INVALID_TIMESTAMP(32, false, false),
    UNSUPPORTED_VERSION(35, false, false),
    UNSUPPORTED_FOR_MESSAGE_FORMAT(43, false, false),
    OUT_OF_ORDER_SEQUENCE_NUMBER(45, false, false),
    DUPLICATE_SEQUENCE_NUMBER(46, false, false),
    INVALID_PRODUCER_EPOCH(47, false, false),
    INVALID_TXN_STATE(48, false, false),
    TRANSACTIONAL_ID_AUTHORIZATION_FAILED(53, false, false),
    KAFKA_STORAGE_ERROR(56, true, true),
    UNKNOWN_PRODUCER_ID(59, false, false),
    FENCED_LEADER_EPOCH(74, true, true),
    UNKNOWN_LEADER_EPOCH(75, true, false),
    UNSUPPORTED_COMPRESSION_TYPE(76, false, false),
    INVALID_RECORD(87, false, false),
    UNKNOWN_TOPIC_ID(100, true, true),
    INCONSISTENT_TOPIC_ID(103, true, true),
    TRANSACTION_ABORTABLE(120, false, false),
    // Metadata
    INVALID_TOPIC_EXCEPTION(17, false, false),
    REBOOTSTRAP_REQUIRED(129, false, false),
    // Coordinator and transactions
    COORDINATOR_LOAD_IN_PROGRESS(14, true, false),
    COORDINATOR_NOT_AVAILABLE(15, true, false),
    NOT_COORDINATOR(16, true, false),
    ILLEGAL_GENERATION(22, false, false),
    UNKNOWN_MEMBER_ID(25, false, false),
    GROUP_AUTHORIZATION_FAILED(30, false, false),
    INVALID_PRODUCER_ID_MAPPING(49, false, false),
    INVALID_TRANSACTION_TIMEOUT(50, false, false),
    CONCURRENT_TRANSACTIONS(51, true, false),
    TRANSACTION_COORDINATOR_FENCED(52, false, false),
    OPERATION_NOT_ATTEMPTED(55, false, false),
    FENCED_INSTANCE_ID(82, false, false),
    PRODUCER_FENCED(90, false, false),
    // Connection, version and security
    UNSUPPORTED_SASL_MECHANISM(33, false, false),
    ILLEGAL_SASL_STATE(34, false, false),
    INVALID_REQUEST(42, false, false),
    SASL_AUTHENTICATION_FAILED(58, false, false),
    THROTTLING_QUOTA_EXCEEDED(89, true, false),
    // CreateTopics
    TOPIC_ALREADY_EXISTS(36, false, false),
    INVALID_PARTITIONS(37, false, false),
    INVALID_REPLICATION_FACTOR(38, false, false),
    INVALID_CONFIG(40, false, false),
    NOT_CONTROLLER(41, true, false),
    POLICY_VIOLATION(44, false, false);

    /** Indexed by code + 1 (codes run from -1 upwards). */
    private static final Errors[] BY_CODE;

    static {
        int max = 0;
        for (Errors e : values()) {
            max = Math.max(max, e.code);
        }
        BY_CODE = new Errors[max + 2];
        for (Errors e : values()) {
            if (BY_CODE[e.code + 1] != null) {
                throw new ExceptionInInitializerError("Duplicate error code " + e.code);
            }
            BY_CODE[e.code + 1] = e;
        }
    }

    private final short code;
    private final boolean retriable;
    private final boolean refreshesMetadata;

    Errors(int code, boolean retriable, boolean refreshesMetadata) {
        this.code = (short) code;
        this.retriable = retriable;
        this.refreshesMetadata = refreshesMetadata;
    }

    public short code() {
        return code;
    }

    public boolean isRetriable() {
        return retriable;
    }

    /** Kafka's InvalidMetadataException family: answer with a metadata refresh as well as a retry. */
    public boolean refreshesMetadata() {
        return refreshesMetadata;
    }

    /** The error for a wire code; codes this client does not know map to UNKNOWN_SERVER_ERROR. */
    public static Errors forCode(short code) {
        int index = code + 1;
        Errors e = index >= 0 && index < BY_CODE.length ? BY_CODE[index] : null;
        return e == null ? UNKNOWN_SERVER_ERROR : e;
    }

    /** An exception carrying this error's name, code and retriability, plus the broker's message. */
    public BrokerException exception(String message) {
        return new BrokerException(name(), code, retriable, message);
    }

    /**
     * The exception a record or caller should see for this error: the typed authorization and
     * authentication exceptions for those errors, {@link #exception(String)} for every other.
     */
    public CourierException toException(String message) {
        String text = name() + " (" + code + ")" + (message == null || message.isEmpty() ? "" : ": " + message);
        return switch (this) {
            case TOPIC_AUTHORIZATION_FAILED -> new TopicAuthorizationException(text);
            case CLUSTER_AUTHORIZATION_FAILED -> new ClusterAuthorizationException(text);
            case TRANSACTIONAL_ID_AUTHORIZATION_FAILED -> new TransactionalIdAuthorizationException(text);
            case SASL_AUTHENTICATION_FAILED -> new SaslAuthenticationException(text);
            default -> exception(message);
        };
    }
}
