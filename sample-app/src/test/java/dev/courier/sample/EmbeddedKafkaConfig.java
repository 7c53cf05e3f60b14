package dev.courier.sample;

import dev.courier.producer.ProducerConfig;
import dev.courier.producer.spring.ProducerConfigCustomizer;
import dev.courier.test.EmbeddedKafka;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Development-time Kafka: a real Apache Kafka broker (KRaft) started in this JVM, the sample's topic created on
 * it, and the producer pointed at it. A {@link ProducerConfigCustomizer} sets {@code bootstrap.servers} because
 * customizers run after {@code courier.producer.*} is bound and take precedence, and because depending on the
 * broker bean makes Spring start it before the producer.
 */
@TestConfiguration(proxyBeanMethods = false)
public class EmbeddedKafkaConfig {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaConfig.class);
    static final int PARTITIONS = 6;

    /** The JVM's shared broker; it stops when the JVM exits, after the application context has closed. */
    @Bean(destroyMethod = "")
    EmbeddedKafka embeddedKafka(SampleProperties properties) {
        log.info("Starting an embedded Apache Kafka broker (KRaft) for development ...");
        EmbeddedKafka kafka = EmbeddedKafka.shared();
        try {
            kafka.createTopic(properties.topic(), PARTITIONS, 1);
        } catch (IllegalStateException e) {
            log.debug("Topic {} exists already", properties.topic(), e);
        }
        log.info("Broker up at {} with topic {} ({} partitions)", kafka.bootstrapServers(), properties.topic(),
                PARTITIONS);
        return kafka;
    }

    @Bean
    ProducerConfigCustomizer embeddedKafkaBootstrapServers(EmbeddedKafka kafka) {
        return config -> config.put(ProducerConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    }
}
