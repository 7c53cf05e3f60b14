package dev.courier.producer.internals.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.errors.BrokerException;
import java.util.List;
import org.apache.kafka.common.errors.InvalidMetadataException;
import org.apache.kafka.common.errors.RetriableException;
import org.junit.jupiter.api.Test;

class ErrorsTests {

    /** Every code in the reference error tables: code, name, retriable, refreshes metadata. */
    private static final List<Object[]> REFERENCE = List.of(
            row(-1, "UNKNOWN_SERVER_ERROR", false, false), row(0, "NONE", false, false),
            row(2, "CORRUPT_MESSAGE", true, false), row(3, "UNKNOWN_TOPIC_OR_PARTITION", true, true),
            row(5, "LEADER_NOT_AVAILABLE", true, true), row(6, "NOT_LEADER_OR_FOLLOWER", true, true),
            row(7, "REQUEST_TIMED_OUT", true, false), row(9, "REPLICA_NOT_AVAILABLE", true, true),
            row(10, "MESSAGE_TOO_LARGE", false, false), row(13, "NETWORK_EXCEPTION", true, true),
            row(14, "COORDINATOR_LOAD_IN_PROGRESS", true, false), row(15, "COORDINATOR_NOT_AVAILABLE", true, false),
            row(16, "NOT_COORDINATOR", true, false), row(17, "INVALID_TOPIC_EXCEPTION", false, false),
            row(18, "RECORD_LIST_TOO_LARGE", false, false), row(19, "NOT_ENOUGH_REPLICAS", true, false),
            row(20, "NOT_ENOUGH_REPLICAS_AFTER_APPEND", true, false), row(21, "INVALID_REQUIRED_ACKS", false, false),
            row(22, "ILLEGAL_GENERATION", false, false), row(25, "UNKNOWN_MEMBER_ID", false, false),
            row(29, "TOPIC_AUTHORIZATION_FAILED", false, false), row(30, "GROUP_AUTHORIZATION_FAILED", false, false),
            row(31, "CLUSTER_AUTHORIZATION_FAILED", false, false), row(32, "INVALID_TIMESTAMP", false, false),
            row(33, "UNSUPPORTED_SASL_MECHANISM", false, false), row(34, "ILLEGAL_SASL_STATE", false, false),
            row(35, "UNSUPPORTED_VERSION", false, false), row(36, "TOPIC_ALREADY_EXISTS", false, false),
            row(37, "INVALID_PARTITIONS", false, false), row(38, "INVALID_REPLICATION_FACTOR", false, false),
            row(40, "INVALID_CONFIG", false, false), row(41, "NOT_CONTROLLER", true, false),
            row(42, "INVALID_REQUEST", false, false), row(43, "UNSUPPORTED_FOR_MESSAGE_FORMAT", false, false),
            row(44, "POLICY_VIOLATION", false, false), row(45, "OUT_OF_ORDER_SEQUENCE_NUMBER", false, false),
            row(46, "DUPLICATE_SEQUENCE_NUMBER", false, false), row(47, "INVALID_PRODUCER_EPOCH", false, false),
            row(48, "INVALID_TXN_STATE", false, false), row(49, "INVALID_PRODUCER_ID_MAPPING", false, false),
            row(50, "INVALID_TRANSACTION_TIMEOUT", false, false), row(51, "CONCURRENT_TRANSACTIONS", true, false),
            row(52, "TRANSACTION_COORDINATOR_FENCED", false, false),
            row(53, "TRANSACTIONAL_ID_AUTHORIZATION_FAILED", false, false),
            row(55, "OPERATION_NOT_ATTEMPTED", false, false), row(56, "KAFKA_STORAGE_ERROR", true, true),
            row(58, "SASL_AUTHENTICATION_FAILED", false, false), row(59, "UNKNOWN_PRODUCER_ID", false, false),
            row(74, "FENCED_LEADER_EPOCH", true, true), row(75, "UNKNOWN_LEADER_EPOCH", true, false),
            row(76, "UNSUPPORTED_COMPRESSION_TYPE", false, false), row(82, "FENCED_INSTANCE_ID", false, false),
            row(87, "INVALID_RECORD", false, false), row(89, "THROTTLING_QUOTA_EXCEEDED", true, false),
            row(90, "PRODUCER_FENCED", false, false), row(100, "UNKNOWN_TOPIC_ID", true, true),
            row(103, "INCONSISTENT_TOPIC_ID", true, true), row(120, "TRANSACTION_ABORTABLE", false, false),
            row(129, "REBOOTSTRAP_REQUIRED", false, false));

    @Test
    void containsEveryReferenceCodeWithItsNameAndFlags() {
        for (Object[] row : REFERENCE) {
            Errors error = Errors.forCode((short) (int) row[0]);
            assertThat(error.name()).as("code %s", row[0]).isEqualTo(row[1]);
            assertThat(error.code()).isEqualTo((short) (int) row[0]);
            assertThat(error.isRetriable()).as("%s retriable", row[1]).isEqualTo(row[2]);
            assertThat(error.refreshesMetadata()).as("%s refresh", row[1]).isEqualTo(row[3]);
        }
        assertThat(Errors.values()).hasSameSizeAs(REFERENCE);
    }

    @Test
    void agreesWithKafkasOwnErrorTable() {
        for (Errors error : Errors.values()) {
            org.apache.kafka.common.protocol.Errors kafka = org.apache.kafka.common.protocol.Errors.forCode(error.code());
            assertThat(kafka.name()).isEqualTo(error.name());
            if (error != Errors.NONE) {
                assertThat(kafka.exception()).as(error.name()).satisfies(e -> {
                    assertThat(e instanceof RetriableException).as("%s retriable", error).isEqualTo(error.isRetriable());
                    assertThat(e instanceof InvalidMetadataException).as("%s refresh", error)
                            .isEqualTo(error.refreshesMetadata());
                });
            }
        }
    }

    @Test
    void mapsUnknownCodesToUnknownServerError() {
        assertThat(Errors.forCode((short) 1)).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
        assertThat(Errors.forCode((short) 999)).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
        assertThat(Errors.forCode((short) -2)).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
        assertThat(Errors.forCode(Short.MIN_VALUE)).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
    }

    @Test
    void buildsABrokerExceptionCarryingNameCodeAndRetriability() {
        BrokerException e = Errors.NOT_ENOUGH_REPLICAS.exception("isr too small");

        assertThat(e.errorName()).isEqualTo("NOT_ENOUGH_REPLICAS");
        assertThat(e.errorCode()).isEqualTo((short) 19);
        assertThat(e.isRetriable()).isTrue();
        assertThat(e.getMessage()).isEqualTo("NOT_ENOUGH_REPLICAS (19): isr too small");
    }

    @Test
    void mapsAuthorizationAndAuthenticationErrorsToTheirPublicExceptions() {
        assertThat(Errors.TOPIC_AUTHORIZATION_FAILED.toException("no"))
                .isInstanceOf(dev.courier.producer.errors.TopicAuthorizationException.class)
                .isInstanceOf(dev.courier.producer.errors.AuthorizationException.class)
                .hasMessage("TOPIC_AUTHORIZATION_FAILED (29): no");
        assertThat(Errors.CLUSTER_AUTHORIZATION_FAILED.toException(""))
                .isInstanceOf(dev.courier.producer.errors.ClusterAuthorizationException.class);
        assertThat(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.toException(null))
                .isInstanceOf(dev.courier.producer.errors.TransactionalIdAuthorizationException.class);
        assertThat(Errors.SASL_AUTHENTICATION_FAILED.toException("bad"))
                .isInstanceOf(dev.courier.producer.errors.SaslAuthenticationException.class);
        assertThat(Errors.NOT_ENOUGH_REPLICAS.toException("isr")).isInstanceOf(BrokerException.class)
                .hasMessage("NOT_ENOUGH_REPLICAS (19): isr");
    }

    private static Object[] row(int code, String name, boolean retriable, boolean refresh) {
        return new Object[] {code, name, retriable, refresh};
    }
}
