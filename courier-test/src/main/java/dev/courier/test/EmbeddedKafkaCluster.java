package dev.courier.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against a real Apache Kafka KRaft cluster in the test JVM, with {@link #topics()}
 * created up front. Test methods, constructors and lifecycle methods can take the {@link EmbeddedKafka} handle, a
 * {@link RecordReader} or a {@link BootstrapServers @BootstrapServers} {@code String} as parameters.
 *
 * <p>Clusters are shared: every test class in the JVM that declares the same {@link #brokers()} and
 * {@link #brokerProperties()} gets the same cluster, started on first use and stopped when the JVM exits, so a test
 * suite pays for a broker start once. Tests that share a cluster should therefore not depend on topics being empty
 * (use {@link EmbeddedKafka#uniqueTopic(String)} for topics of their own). A declared topic that exists already is
 * reused if its partition count matches and is an error if it does not.
 *
 * <p>In a Spring test (with Courier's starter and spring-test on the class path) the annotation also points the
 * producer at the cluster: the context gets a {@code CourierConnectionDetails} bean and the {@link EmbeddedKafka}
 * and {@link RecordReader} as beans.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EmbeddedKafkaExtension.class)
public @interface EmbeddedKafkaCluster {

    /** Number of brokers: 1 (a combined broker and controller) or more (with a dedicated controller). */
    int brokers() default 1;

    /** Topics to create before the first test runs. */
    String[] topics() default {};

    /** Partitions of each declared topic. */
    int partitions() default 1;

    /** Replication factor of each declared topic; 0 (the default) means the number of brokers, at most 3. */
    int replicationFactor() default 0;

    /** Broker settings over the harness' defaults, as {@code key=value}, e.g. {@code "log.message.timestamp.type=LogAppendTime"}. */
    String[] brokerProperties() default {};
}
