package dev.courier.test;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Declarations that cannot describe a cluster fail before any broker starts, naming the attribute and value. */
class EmbeddedKafkaClusterTests {

    @EmbeddedKafkaCluster(brokers = 0)
    static class NoBrokers {
    }

    @EmbeddedKafkaCluster(partitions = 0)
    static class NoPartitions {
    }

    @EmbeddedKafkaCluster(brokers = 1, replicationFactor = 2)
    static class TooMuchReplication {
    }

    @EmbeddedKafkaCluster(brokerProperties = "no-equals-sign")
    static class MalformedProperty {
    }

    @Test
    void zeroBrokersIsRejected() {
        assertInvalid(NoBrokers.class, "brokers = 0", "at least 1");
    }

    @Test
    void zeroPartitionsIsRejected() {
        assertInvalid(NoPartitions.class, "partitions = 0", "at least 1");
    }

    @Test
    void aReplicationFactorAboveTheBrokerCountIsRejected() {
        assertInvalid(TooMuchReplication.class, "replicationFactor = 2", "1..1");
    }

    @Test
    void aBrokerPropertyWithoutAValueIsRejected() {
        assertInvalid(MalformedProperty.class, "brokerProperties = no-equals-sign", "key=value");
    }

    private static void assertInvalid(Class<?> declaring, String attribute, String allowed) {
        EmbeddedKafkaCluster declaration = declaring.getAnnotation(EmbeddedKafkaCluster.class);
        assertThatThrownBy(() -> EmbeddedKafkaExtension.cluster(declaration))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("@EmbeddedKafkaCluster(" + attribute + ")")
                .hasMessageContaining(allowed);
    }
}
