package dev.courier.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.producer.spring.ProducerTemplate;
import dev.courier.test.EmbeddedKafka;
import dev.courier.test.EmbeddedKafkaCluster;
import dev.courier.test.RecordReader;
import dev.courier.test.WrittenRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * The sample started as a user would, against a broker from courier-test: {@code @EmbeddedKafkaCluster} points the
 * producer at it (over application.yml's bootstrap servers); its endpoint and its demo publish for real.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@EmbeddedKafkaCluster(topics = "sample-events", partitions = EmbeddedKafkaConfig.PARTITIONS)
class SampleApplicationIntegrationTests {

    @Autowired
    private Environment environment;

    @Autowired
    private EmbeddedKafka kafka;

    @Autowired
    private RecordReader reader;

    @Autowired
    private SampleProperties properties;

    @Autowired
    private ProducerTemplate<String, Event> template;

    @Autowired
    private ConfigurableApplicationContext context;

    @Test
    void postingAnEventPublishesItAsJsonKeyedByItsId() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder()
                        .uri(URI.create("http://localhost:" + environment.getProperty("local.server.port") + "/events"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"order-created\",\"payload\":\"42\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).contains("\"topic\":\"" + properties.topic() + "\"").contains("\"offset\":");
        String id = response.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        List<WrittenRecord> records = reader.awaitRecords(properties.topic(), 1);
        assertThat(records).anySatisfy(record -> {
            assertThat(record.keyAsString()).isEqualTo(id);
            assertThat(record.valueAsString())
                    .contains("\"id\":\"" + id + "\"")
                    .contains("\"type\":\"order-created\"")
                    .contains("\"payload\":\"42\"");
            // No tracer on the sample's class path: no trace headers are written.
            assertThat(record.headers()).isEmpty();
        });
    }

    @Test
    void theActuatorReportsTheProducersHealthAndMeters() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> health = get("/actuator/health/courier");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"clientId\":\"courier-sample\"");
        });
        HttpResponse<String> meter = get("/actuator/metrics/courier.producer.record.send.total");
        assertThat(meter.statusCode()).isEqualTo(200);
        assertThat(meter.body()).contains("client.id");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder()
                        .uri(URI.create("http://localhost:" + environment.getProperty("local.server.port") + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theDemoReportsEveryEventAcknowledgedAndSpreadOverThePartitions() {
        String topic = kafka.uniqueTopic("sample-demo");
        kafka.createTopic(topic, 3, 1);
        SampleProperties demoProperties = new SampleProperties(topic, new SampleProperties.Demo(true, 2_000, false));

        DeliveryReport report = new DemoRunner(template, demoProperties, context).publish(2_000);

        assertThat(report.sentCount()).isEqualTo(2_000);
        assertThat(report.acknowledgedCount()).isEqualTo(2_000);
        assertThat(report.failedCount()).isZero();
        assertThat(report.perPartition()).containsOnlyKeys(0, 1, 2);
        assertThat(report.perPartition().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2_000);
        assertThat(report.summary()).contains("acknowledged  2,000").contains("records/s");
        assertThat(reader.awaitRecords(topic, 2_000)).hasSize(2_000);
    }
}
