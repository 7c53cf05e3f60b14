package dev.courier.producer.spring.autoconfigure;

import dev.courier.producer.ProducerConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.util.unit.DataSize;

/**
 * The one table of typed {@code courier.producer.*} properties and the Kafka keys they set. The engine
 * configuration is built from it and errors name properties from it, so the two cannot drift apart.
 *
 * <p>A property that is not set yields null and writes no key: the engine then applies its own default and
 * the rules that go with it (it raises an unset {@code delivery.timeout.ms} to fit {@code linger.ms}, for
 * instance, but refuses one that was set too low).
 */
enum TypedProperty {

    BOOTSTRAP_SERVERS("bootstrap-servers", ProducerConfig.BOOTSTRAP_SERVERS,
            p -> joined(p.getBootstrapServers())),
    CLIENT_ID("client-id", ProducerConfig.CLIENT_ID, CourierProducerProperties::getClientId),
    ACKS("acks", ProducerConfig.ACKS, CourierProducerProperties::getAcks),
    LINGER("linger", ProducerConfig.LINGER_MS, p -> millis(p.getLinger())),
    BATCH_SIZE("batch-size", ProducerConfig.BATCH_SIZE, p -> bytes(p.getBatchSize())),
    BUFFER_MEMORY("buffer-memory", ProducerConfig.BUFFER_MEMORY, p -> bytes(p.getBufferMemory())),
    COMPRESSION_TYPE("compression-type", ProducerConfig.COMPRESSION_TYPE,
            CourierProducerProperties::getCompressionType),
    RETRIES("retries", ProducerConfig.RETRIES, CourierProducerProperties::getRetries),
    DELIVERY_TIMEOUT("delivery-timeout", ProducerConfig.DELIVERY_TIMEOUT_MS, p -> millis(p.getDeliveryTimeout())),
    REQUEST_TIMEOUT("request-timeout", ProducerConfig.REQUEST_TIMEOUT_MS, p -> millis(p.getRequestTimeout())),
    MAX_BLOCK("max-block", ProducerConfig.MAX_BLOCK_MS, p -> millis(p.getMaxBlock())),
    ENABLE_IDEMPOTENCE("enable-idempotence", ProducerConfig.ENABLE_IDEMPOTENCE,
            CourierProducerProperties::getEnableIdempotence),
    MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION("max-in-flight-requests-per-connection",
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
            CourierProducerProperties::getMaxInFlightRequestsPerConnection),
    MAX_REQUEST_SIZE("max-request-size", ProducerConfig.MAX_REQUEST_SIZE, p -> bytes(p.getMaxRequestSize())),
    KEY_SERIALIZER("key-serializer", ProducerConfig.KEY_SERIALIZER, CourierProducerProperties::getKeySerializer),
    VALUE_SERIALIZER("value-serializer", ProducerConfig.VALUE_SERIALIZER,
            CourierProducerProperties::getValueSerializer),
    PARTITIONER("partitioner", ProducerConfig.PARTITIONER_CLASS, CourierProducerProperties::getPartitioner),
    SECURITY_PROTOCOL("security.protocol", ProducerConfig.SECURITY_PROTOCOL, p -> p.getSecurity().getProtocol()),
    SASL_MECHANISM("sasl.mechanism", ProducerConfig.SASL_MECHANISM, p -> SaslJaasLine.mechanism(p.getSasl())),
    /** Built from username/password or the OAuth client properties; errors name the group. */
    SASL_JAAS_CONFIG("sasl", ProducerConfig.SASL_JAAS_CONFIG, p -> SaslJaasLine.of(p.getSasl())),
    SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL("sasl.oauth.token-endpoint", ProducerConfig.SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL,
            p -> p.getSasl().getOauth().getTokenEndpoint());

    private static final Map<String, TypedProperty> BY_KAFKA_KEY = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(TypedProperty::kafkaKey, Function.identity()));

    private final String propertyName;
    private final String kafkaKey;
    private final Function<CourierProducerProperties, Object> value;

    TypedProperty(String name, String kafkaKey, Function<CourierProducerProperties, Object> value) {
        this.propertyName = CourierProducerProperties.PREFIX + "." + name;
        this.kafkaKey = kafkaKey;
        this.value = value;
    }

    /** The full property name, e.g. {@code courier.producer.linger}. */
    String propertyName() {
        return propertyName;
    }

    String kafkaKey() {
        return kafkaKey;
    }

    /** The value for the engine (milliseconds, bytes, ...), or null when the property is not set. */
    Object valueIn(CourierProducerProperties properties) {
        return value.apply(properties);
    }

    /** The typed property that sets {@code kafkaKey}, or null when none does. */
    static TypedProperty forKafkaKey(String kafkaKey) {
        return kafkaKey == null ? null : BY_KAFKA_KEY.get(kafkaKey);
    }

    private static String joined(List<String> servers) {
        return servers == null || servers.isEmpty() ? null : String.join(",", servers);
    }

    private static Long millis(Duration duration) {
        return duration == null ? null : duration.toMillis();
    }

    private static Long bytes(DataSize size) {
        return size == null ? null : size.toBytes();
    }
}
