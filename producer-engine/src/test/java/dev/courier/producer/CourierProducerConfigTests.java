package dev.courier.producer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.errors.ConfigException;
import dev.courier.producer.serialization.StringSerializer;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Bad configuration fails construction with a message naming the key, the value and what is allowed. */
class CourierProducerConfigTests {

    private static Map<String, Object> valid() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS, "localhost:9092");
        config.put(ProducerConfig.KEY_SERIALIZER, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER, StringSerializer.class.getName());
        return config;
    }

    private static Map<String, Object> with(String key, Object value) {
        Map<String, Object> config = valid();
        config.put(key, value);
        return config;
    }

    @Test
    void anAcksValueKafkaDoesNotKnowIsRejected() {
        assertThatThrownBy(() -> new CourierProducer<String, String>(with(ProducerConfig.ACKS, "2")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 2 for configuration acks: must be one of all, -1, 0, 1");
    }

    @Test
    void aNegativeLingerIsRejected() {
        assertThatThrownBy(() -> new CourierProducer<String, String>(with(ProducerConfig.LINGER_MS, -1)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("linger.ms").hasMessageContaining("-1");
    }

    @Test
    void aMissingBootstrapServersIsRejected() {
        Map<String, Object> config = valid();
        config.remove(ProducerConfig.BOOTSTRAP_SERVERS);
        assertThatThrownBy(() -> new CourierProducer<String, String>(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bootstrap.servers");
    }

    @Test
    void aMissingSerializerIsRejected() {
        Map<String, Object> config = valid();
        config.remove(ProducerConfig.VALUE_SERIALIZER);
        assertThatThrownBy(() -> new CourierProducer<String, String>(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("value.serializer");
    }

    @Test
    void aSerializerClassThatDoesNotExistIsRejected() {
        assertThatThrownBy(() -> new CourierProducer<String, String>(with(ProducerConfig.KEY_SERIALIZER, "com.example.Nope")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("key.serializer").hasMessageContaining("com.example.Nope");
    }

    @Test
    void anUnknownCompressionTypeIsRejected() {
        assertThatThrownBy(() -> new CourierProducer<String, String>(with(ProducerConfig.COMPRESSION_TYPE, "brotli")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("compression.type").hasMessageContaining("brotli");
    }

    @Test
    void aCompressionLevelOutOfRangeIsRejected() {
        Map<String, Object> config = with(ProducerConfig.COMPRESSION_TYPE, "lz4");
        config.put(ProducerConfig.COMPRESSION_LZ4_LEVEL, 18);
        assertThatThrownBy(() -> new CourierProducer<String, String>(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("compression.lz4.level").hasMessageContaining("18");
    }

    @Test
    void anExplicitDeliveryTimeoutBelowLingerPlusRequestTimeoutIsRejected() {
        Map<String, Object> config = with(ProducerConfig.DELIVERY_TIMEOUT_MS, 1_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS, 5_000);
        assertThatThrownBy(() -> new CourierProducer<String, String>(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("delivery.timeout.ms");
    }

    @Test
    void idempotenceThatContradictsAcksIsRefused() {
        Map<String, Object> config = with(ProducerConfig.ENABLE_IDEMPOTENCE, true);
        config.put(ProducerConfig.ACKS, "1");
        assertThatThrownBy(() -> new CourierProducer<String, String>(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("enable.idempotence").hasMessageContaining("acks=1");
    }

    @Test
    void propertiesAreValidatedTheSameWay() {
        Properties properties = new Properties();
        properties.putAll(with(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "0"));
        assertThatThrownBy(() -> new CourierProducer<String, String>(properties))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("max.in.flight.requests.per.connection");
    }

    @Test
    void anUnresolvableBootstrapServerIsRejected() {
        assertThatThrownBy(() -> new CourierProducer<String, String>(
                with(ProducerConfig.BOOTSTRAP_SERVERS, "no-such-host.invalid:9092")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bootstrap.servers").hasMessageContaining("no-such-host.invalid:9092");
    }
}
