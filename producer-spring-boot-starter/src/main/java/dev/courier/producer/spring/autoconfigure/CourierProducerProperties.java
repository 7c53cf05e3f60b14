package dev.courier.producer.spring.autoconfigure;

import dev.courier.producer.ProducerConfig;
import dev.courier.producer.spring.ShutdownMode;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * Configuration of the Courier producer ({@code courier.producer.*}).
 *
 * <p>Typed properties cover the common Kafka producer keys in Spring Boot's conventions ({@link Duration}
 * and {@link DataSize} values); {@link #getProperties() properties} takes any raw Kafka key and wins over the
 * typed one. {@link #buildProducerConfig()} maps both onto the engine's configuration; unset typed
 * properties leave the engine's (Kafka's) defaults in force.
 */
@ConfigurationProperties("courier.producer")
public class CourierProducerProperties {

    static final String PREFIX = "courier.producer";

    /** Kafka brokers to bootstrap from, as host:port pairs. */
    private List<String> bootstrapServers;

    /** Client id sent to the brokers and used in thread names, logs and meter tags. */
    private String clientId;

    /** Acknowledgements the leader must receive before a send completes: all (-1), 1 or 0. */
    private String acks = "all";

    /** How long a batch waits for more records before it is sent. */
    @DurationUnit(java.time.temporal.ChronoUnit.MILLIS)
    private Duration linger = Duration.ofMillis(5);

    /** Size of each partition's batch (uncompressed). */
    @DataSizeUnit(DataUnit.BYTES)
    private DataSize batchSize = DataSize.ofKilobytes(16);

    /** Memory for all records not yet sent, including those waiting for metadata. */
    @DataSizeUnit(DataUnit.BYTES)
    private DataSize bufferMemory = DataSize.ofMegabytes(32);

    /** Compression of record batches: none, gzip, snappy, lz4 or zstd. */
    private String compressionType = "none";

    /** Retries of retriable errors, within the delivery timeout. Kafka's default retries until it expires. */
    private Integer retries;

    /** Bound on a record's whole life after send: linger, retries and time in flight. */
    @DurationUnit(java.time.temporal.ChronoUnit.MILLIS)
    private Duration deliveryTimeout = Duration.ofMinutes(2);

    /** Longest wait for one produce response. */
    @DurationUnit(java.time.temporal.ChronoUnit.MILLIS)
    private Duration requestTimeout = Duration.ofSeconds(30);

    /** Longest a send blocks for buffer memory, and longest a record waits for its topic's metadata. */
    @DurationUnit(java.time.temporal.ChronoUnit.MILLIS)
    private Duration maxBlock = Duration.ofSeconds(60);

    /** Whether the producer is idempotent (no duplicates from retries). Unset leaves the engine's default. */
    private Boolean enableIdempotence;

    /** Unanswered requests per broker connection; 1 keeps order across retries without idempotence. */
    private int maxInFlightRequestsPerConnection = 5;

    /** Largest produce request, and so the largest record. */
    @DataSizeUnit(DataUnit.BYTES)
    private DataSize maxRequestSize = DataSize.ofMegabytes(1);

    /** Serializer class for keys. Unset means strings (UTF-8). */
    private Class<?> keySerializer;

    /**
     * Serializer class for values. Unset means JSON through the application's Jackson mapper when there is
     * one (strings and byte arrays pass through as is), strings otherwise.
     */
    private Class<?> valueSerializer;

    /** Partitioner class. Unset means the built-in one: explicit partition, key hash, else sticky. */
    private Class<?> partitioner;

    /** Topic that sendDefault publishes to. */
    private String defaultTopic;

    /** Additional Kafka producer keys (for example linger.ms), applied after and winning over the typed properties. */
    private final Map<String, String> properties = new HashMap<>();

    private final Shutdown shutdown = new Shutdown();

    /** What happens to records not yet delivered when the application stops. */
    public static class Shutdown {

        /** Whether to deliver pending records before closing (graceful) or fail them at once (forced). */
        private ShutdownMode mode = ShutdownMode.GRACEFUL;

        /** Longest a graceful shutdown waits for pending records before failing what is left. */
        private Duration timeout = Duration.ofSeconds(30);

        public ShutdownMode getMode() {
            return mode;
        }

        public void setMode(ShutdownMode mode) {
            this.mode = mode;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }

    /**
     * The engine configuration: typed properties first, then the raw {@code properties} map over them.
     * Serializers are not included unless their class properties are set.
     */
    public Map<String, Object> buildProducerConfig() {
        Map<String, Object> config = new LinkedHashMap<>();
        putIfSet(config, ProducerConfig.BOOTSTRAP_SERVERS,
                bootstrapServers == null || bootstrapServers.isEmpty() ? null : String.join(",", bootstrapServers));
        putIfSet(config, ProducerConfig.CLIENT_ID, clientId);
        putIfSet(config, ProducerConfig.ACKS, acks);
        putIfSet(config, ProducerConfig.LINGER_MS, linger == null ? null : linger.toMillis());
        putIfSet(config, ProducerConfig.BATCH_SIZE, bytes(batchSize));
        putIfSet(config, ProducerConfig.BUFFER_MEMORY, bytes(bufferMemory));
        putIfSet(config, ProducerConfig.COMPRESSION_TYPE, compressionType);
        putIfSet(config, ProducerConfig.RETRIES, retries);
        putIfSet(config, ProducerConfig.DELIVERY_TIMEOUT_MS, deliveryTimeout == null ? null : deliveryTimeout.toMillis());
        putIfSet(config, ProducerConfig.REQUEST_TIMEOUT_MS, requestTimeout == null ? null : requestTimeout.toMillis());
        putIfSet(config, ProducerConfig.MAX_BLOCK_MS, maxBlock == null ? null : maxBlock.toMillis());
        putIfSet(config, ProducerConfig.ENABLE_IDEMPOTENCE, enableIdempotence);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, maxInFlightRequestsPerConnection);
        putIfSet(config, ProducerConfig.MAX_REQUEST_SIZE, bytes(maxRequestSize));
        putIfSet(config, ProducerConfig.KEY_SERIALIZER, keySerializer);
        putIfSet(config, ProducerConfig.VALUE_SERIALIZER, valueSerializer);
        putIfSet(config, ProducerConfig.PARTITIONER_CLASS, partitioner);
        config.putAll(properties);
        return config;
    }

    /**
     * The property a user sets for a Kafka key, for error messages: the raw map's entry when it has the key,
     * else the typed property mapped to it, else null (set by a customizer or an engine default).
     */
    public String propertyNameFor(String kafkaKey) {
        if (kafkaKey == null) {
            return null;
        }
        if (properties.containsKey(kafkaKey)) {
            return PREFIX + ".properties[" + kafkaKey + "]";
        }
        String typed = switch (kafkaKey) {
            case ProducerConfig.BOOTSTRAP_SERVERS -> "bootstrap-servers";
            case ProducerConfig.CLIENT_ID -> "client-id";
            case ProducerConfig.ACKS -> "acks";
            case ProducerConfig.LINGER_MS -> "linger";
            case ProducerConfig.BATCH_SIZE -> "batch-size";
            case ProducerConfig.BUFFER_MEMORY -> "buffer-memory";
            case ProducerConfig.COMPRESSION_TYPE -> "compression-type";
            case ProducerConfig.RETRIES -> "retries";
            case ProducerConfig.DELIVERY_TIMEOUT_MS -> "delivery-timeout";
            case ProducerConfig.REQUEST_TIMEOUT_MS -> "request-timeout";
            case ProducerConfig.MAX_BLOCK_MS -> "max-block";
            case ProducerConfig.ENABLE_IDEMPOTENCE -> "enable-idempotence";
            case ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION -> "max-in-flight-requests-per-connection";
            case ProducerConfig.MAX_REQUEST_SIZE -> "max-request-size";
            case ProducerConfig.KEY_SERIALIZER -> "key-serializer";
            case ProducerConfig.VALUE_SERIALIZER -> "value-serializer";
            case ProducerConfig.PARTITIONER_CLASS -> "partitioner";
            default -> null;
        };
        return typed == null ? null : PREFIX + "." + typed;
    }

    private static Long bytes(DataSize size) {
        return size == null ? null : size.toBytes();
    }

    private static void putIfSet(Map<String, Object> config, String key, Object value) {
        if (value != null) {
            config.put(key, value);
        }
    }

    public List<String> getBootstrapServers() {
        return bootstrapServers;
    }

    public void setBootstrapServers(List<String> bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public String getAcks() {
        return acks;
    }

    public void setAcks(String acks) {
        this.acks = acks;
    }

    public Duration getLinger() {
        return linger;
    }

    public void setLinger(Duration linger) {
        this.linger = linger;
    }

    public DataSize getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(DataSize batchSize) {
        this.batchSize = batchSize;
    }

    public DataSize getBufferMemory() {
        return bufferMemory;
    }

    public void setBufferMemory(DataSize bufferMemory) {
        this.bufferMemory = bufferMemory;
    }

    public String getCompressionType() {
        return compressionType;
    }

    public void setCompressionType(String compressionType) {
        this.compressionType = compressionType;
    }

    public Integer getRetries() {
        return retries;
    }

    public void setRetries(Integer retries) {
        this.retries = retries;
    }

    public Duration getDeliveryTimeout() {
        return deliveryTimeout;
    }

    public void setDeliveryTimeout(Duration deliveryTimeout) {
        this.deliveryTimeout = deliveryTimeout;
    }

    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public Duration getMaxBlock() {
        return maxBlock;
    }

    public void setMaxBlock(Duration maxBlock) {
        this.maxBlock = maxBlock;
    }

    public Boolean getEnableIdempotence() {
        return enableIdempotence;
    }

    public void setEnableIdempotence(Boolean enableIdempotence) {
        this.enableIdempotence = enableIdempotence;
    }

    public int getMaxInFlightRequestsPerConnection() {
        return maxInFlightRequestsPerConnection;
    }

    public void setMaxInFlightRequestsPerConnection(int maxInFlightRequestsPerConnection) {
        this.maxInFlightRequestsPerConnection = maxInFlightRequestsPerConnection;
    }

    public DataSize getMaxRequestSize() {
        return maxRequestSize;
    }

    public void setMaxRequestSize(DataSize maxRequestSize) {
        this.maxRequestSize = maxRequestSize;
    }

    public Class<?> getKeySerializer() {
        return keySerializer;
    }

    public void setKeySerializer(Class<?> keySerializer) {
        this.keySerializer = keySerializer;
    }

    public Class<?> getValueSerializer() {
        return valueSerializer;
    }

    public void setValueSerializer(Class<?> valueSerializer) {
        this.valueSerializer = valueSerializer;
    }

    public Class<?> getPartitioner() {
        return partitioner;
    }

    public void setPartitioner(Class<?> partitioner) {
        this.partitioner = partitioner;
    }

    public String getDefaultTopic() {
        return defaultTopic;
    }

    public void setDefaultTopic(String defaultTopic) {
        this.defaultTopic = defaultTopic;
    }

    public Map<String, String> getProperties() {
        return properties;
    }

    public Shutdown getShutdown() {
        return shutdown;
    }
}
