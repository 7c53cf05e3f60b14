package dev.courier.test.internals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.courier.test.EmbeddedKafka;
import dev.courier.test.EmbeddedKafkaCluster;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * Turns an {@link EmbeddedKafkaCluster} declaration into a running shared cluster with the declared topics. Internal:
 * use {@code EmbeddedKafkaExtension.cluster}.
 */
public final class DeclaredClusters {

    private static final int MAX_REPLICATION = 3;
    private static final Object TOPICS_LOCK = new Object();

    private DeclaredClusters() {
    }

    /** Starts or joins the shared cluster {@code declaration} describes and makes sure its topics exist. */
    public static EmbeddedKafka obtain(EmbeddedKafkaCluster declaration) {
        if (declaration.brokers() < 1) {
            throw invalid("brokers", declaration.brokers(), "at least 1");
        }
        if (declaration.partitions() < 1) {
            throw invalid("partitions", declaration.partitions(), "at least 1");
        }
        int replicationFactor = declaration.replicationFactor() == 0
                ? Math.min(declaration.brokers(), MAX_REPLICATION) : declaration.replicationFactor();
        if (replicationFactor < 1 || replicationFactor > declaration.brokers()) {
            throw invalid("replicationFactor", declaration.replicationFactor(),
                    "0 (automatic) or 1.." + declaration.brokers() + " (the number of brokers)");
        }
        EmbeddedKafka kafka = EmbeddedKafka.shared(declaration.brokers(), brokerProperties(declaration));
        // Test classes may run in parallel; one of them creates a topic they both declare. (Not on the cluster's
        // monitor: EmbeddedKafka synchronizes on itself, also from the threads that await the topic's leaders.)
        synchronized (TOPICS_LOCK) {
            for (String topic : declaration.topics()) {
                ensureTopic(kafka, topic, declaration.partitions(), replicationFactor);
            }
        }
        return kafka;
    }

    private static Map<String, String> brokerProperties(EmbeddedKafkaCluster declaration) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String entry : declaration.brokerProperties()) {
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                throw invalid("brokerProperties", entry, "key=value entries");
            }
            properties.put(entry.substring(0, equals).trim(), entry.substring(equals + 1).trim());
        }
        return properties;
    }

    private static void ensureTopic(EmbeddedKafka kafka, String topic, int partitions, int replicationFactor) {
        if (topic.isBlank()) {
            throw invalid("topics", "\"" + topic + "\"", "non-blank topic names");
        }
        Set<String> existing;
        try {
            existing = kafka.admin().listTopics().names().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not list the topics of the embedded cluster", e);
        }
        if (!existing.contains(topic)) {
            kafka.createTopic(topic, partitions, replicationFactor);
            return;
        }
        int actual = describe(kafka, topic).partitions().size();
        if (actual != partitions) {
            throw new IllegalStateException("Topic " + topic + " exists on the shared embedded cluster with " + actual
                    + " partitions, but this test class declares " + partitions
                    + "; declare the same count everywhere or use another topic name");
        }
    }

    private static TopicDescription describe(EmbeddedKafka kafka, String topic) {
        try {
            return kafka.admin().describeTopics(Set.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
        } catch (Exception e) {
            throw new IllegalStateException("Could not describe topic " + topic, e);
        }
    }

    private static IllegalArgumentException invalid(String attribute, Object value, String allowed) {
        return new IllegalArgumentException("@" + EmbeddedKafkaCluster.class.getSimpleName() + "(" + attribute + " = "
                + value + ") is invalid: allowed are " + allowed);
    }
}
