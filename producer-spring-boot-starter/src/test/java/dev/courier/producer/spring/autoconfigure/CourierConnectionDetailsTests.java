package dev.courier.producer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.ProducerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Where the producer connects: {@link CourierConnectionDetails} from the properties, or the application's own. */
class CourierConnectionDetailsTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CourierProducerAutoConfiguration.class))
            .withBean(ConfigCapture.class, ConfigCapture::new);

    @Test
    void whenTheApplicationDefinesNoConnectionDetailsThenTheyComeFromTheProperties() {
        runner.withPropertyValues("courier.producer.bootstrap-servers=localhost:9092,127.0.0.1:9093").run(context -> {
            CourierConnectionDetails details = context.getBean(CourierConnectionDetails.class);
            assertThat(details).isInstanceOf(PropertiesCourierConnectionDetails.class);
            assertThat(details.getBootstrapServers()).containsExactly("localhost:9092", "127.0.0.1:9093");
            assertThat(details.getSecurityProtocol()).isNull();
            assertThat(details.getSslBundleName()).isNull();
            ConfigCapture capture = context.getBean(ConfigCapture.class);
            assertThat(capture.get(ProducerConfig.BOOTSTRAP_SERVERS)).isEqualTo("localhost:9092,127.0.0.1:9093");
            assertThat(capture.config()).doesNotContainKey(ProducerConfig.SECURITY_PROTOCOL);
        });
    }

    @Test
    void theRawMapStillWinsOverTheTypedPropertyThroughTheDefaultDetails() {
        runner.withPropertyValues("courier.producer.bootstrap-servers=localhost:9095",
                "courier.producer.properties[bootstrap.servers]=localhost:9096, 127.0.0.1:9097",
                "courier.producer.properties[security.protocol]=PLAINTEXT").run(context -> {
                    CourierConnectionDetails details = context.getBean(CourierConnectionDetails.class);
                    assertThat(details.getBootstrapServers()).containsExactly("localhost:9096", "127.0.0.1:9097");
                    assertThat(details.getSecurityProtocol()).isEqualTo("PLAINTEXT");
                    ConfigCapture capture = context.getBean(ConfigCapture.class);
                    assertThat(capture.get(ProducerConfig.BOOTSTRAP_SERVERS)).isEqualTo("localhost:9096, 127.0.0.1:9097");
                    assertThat(capture.get(ProducerConfig.SECURITY_PROTOCOL)).isEqualTo("PLAINTEXT");
                });
    }

    @Test
    void whenTheApplicationDefinesConnectionDetailsTheyWinOverTheProperties() {
        CourierConnectionDetails mine = new CourierConnectionDetails() {
            @Override
            public List<String> getBootstrapServers() {
                return List.of("localhost:19092", "127.0.0.1:19093");
            }

            @Override
            public String getSecurityProtocol() {
                return "PLAINTEXT";
            }
        };
        runner.withPropertyValues("courier.producer.bootstrap-servers=localhost:9094")
                .withBean("myConnectionDetails", CourierConnectionDetails.class, () -> mine)
                .run(context -> {
                    assertThat(context).getBeans(CourierConnectionDetails.class)
                            .containsOnlyKeys("myConnectionDetails");
                    ConfigCapture capture = context.getBean(ConfigCapture.class);
                    assertThat(capture.get(ProducerConfig.BOOTSTRAP_SERVERS))
                            .isEqualTo("localhost:19092,127.0.0.1:19093");
                    assertThat(capture.get(ProducerConfig.SECURITY_PROTOCOL)).isEqualTo("PLAINTEXT");
                });
    }

    @Test
    void connectionDetailsWithoutBootstrapServersLeaveTheConfiguredOnesInPlace() {
        runner.withPropertyValues("courier.producer.bootstrap-servers=localhost:9094")
                .withBean(CourierConnectionDetails.class, () -> () -> null)
                .run(context -> assertThat(context.getBean(ConfigCapture.class).get(ProducerConfig.BOOTSTRAP_SERVERS))
                        .isEqualTo("localhost:9094"));
    }
}
