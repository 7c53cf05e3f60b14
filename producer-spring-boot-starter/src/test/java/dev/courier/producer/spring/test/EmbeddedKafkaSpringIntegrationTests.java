package dev.courier.producer.spring.test;

import java.util.Arrays;
import java.util.List;

import dev.courier.producer.spring.ProducerTemplate;
import dev.courier.producer.spring.autoconfigure.CourierConnectionDetails;
import dev.courier.test.EmbeddedKafka;
import dev.courier.test.EmbeddedKafkaCluster;
import dev.courier.test.RecordReader;
import dev.courier.test.WrittenRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A Spring Boot test as a user writes it: the annotation alone points {@code courier.producer.*} at the embedded
 * cluster (over a bootstrap-servers property that leads nowhere) and puts the cluster and a reader in the context.
 */
@SpringBootTest(properties = {"courier.producer.bootstrap-servers=localhost:1",
        "courier.producer.default-topic=spring-orders"})
@EmbeddedKafkaCluster(topics = "spring-orders", partitions = 2)
class EmbeddedKafkaSpringIntegrationTests {

    @Autowired
    private CourierConnectionDetails connectionDetails;

    @Autowired
    private EmbeddedKafka kafka;

    @Autowired
    private RecordReader reader;

    @Autowired
    private ProducerTemplate<String, String> template;

    @Test
    void theConnectionDetailsAreTheEmbeddedClusters() {
        assertThat(connectionDetails.getBootstrapServers())
                .isEqualTo(Arrays.asList(kafka.bootstrapServers().split(",")));
        assertThat(connectionDetails.getSecurityProtocol()).isNull();
    }

    @Test
    void theContextsClusterIsTheOneTheExtensionInjects(EmbeddedKafka injected) {
        assertThat(injected).isSameAs(kafka);
    }

    @Test
    void theTemplatePublishesToTheEmbeddedClusterAndTheReaderReadsItBack() {
        template.sendDefault("order-1", "created").join();
        template.send("spring-orders", 1, "order-2", "paid").join();

        List<WrittenRecord> records = reader.awaitRecords("spring-orders", 2);

        assertThat(records).extracting(WrittenRecord::keyAsString, WrittenRecord::valueAsString)
                .contains(tuple("order-1", "created"),
                        tuple("order-2", "paid"));
        assertThat(records).filteredOn(r -> "order-2".equals(r.keyAsString()))
                .extracting(WrittenRecord::partition).containsOnly(1);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
    }
}
