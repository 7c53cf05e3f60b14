package dev.courier.producer.spring.autoconfigure;

import dev.courier.producer.spring.ShutdownMode;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * Configuration of the Courier producer ({@code courier.producer.*}).
 *
 * <p>Typed properties cover the common Kafka producer keys in Spring Boot's conventions ({@link Duration}
 * and {@link DataSize} values); {@link #getProperties() properties} takes any raw Kafka key and wins over the
 * typed one. {@link #buildProducerConfig()} maps both onto the engine's configuration through
 * {@link TypedProperty}. Typed properties have no defaults of their own: unset ones are null and write no
 * key, so the engine's (Kafka's) defaults and the rules that depend on whether a key was set stay in force.
 * The defaults quoted below are the engine's; the IDE metadata shows them too.
 */
@ConfigurationProperties("courier.producer")
public class CourierProducerProperties {

    static final String PREFIX = "courier.producer";

    /** Kafka brokers to bootstrap from, as host:port pairs. */
    private List<String> bootstrapServers;

    /** Client id sent to the brokers and used in thread names, logs and meter tags. */
    private String clientId;

    /** Acknowledgements the leader must receive before a send completes: all (-1), 1 or 0. Engine default: all. */
    private String acks;

    /** How long a batch waits for more records before it is sent. Engine default: 5ms. */
    @DurationUnit(java.time.temporal.ChronoUnit.MILLIS)
    private Duration linger;

    /** Size of each partition's batch (uncompressed). Engine default: 16KB. */
    @DataSizeUnit(DataUnit.BYTES)
    private DataSize batchSize;

    /** Memory for all records not yet sent, including those waiting for metadata. Engine default: 32MB. */
    @DataSizeUnit(DataUnit.BYTES)
    private DataSize bufferMemory;

    /** Compression of record batches: none, gzip, snappy, lz4 or zstd. Engine default: none. */
    private String compressionType;

    /** Retries of retriable errors, within the delivery timeout. Kafka's default retries until it expires. */
    private Integer retries;

    /**
     * Bound on a record's whole life after send: linger, retries and time in flight. Engine default: 2m,
     * raised to linger + request-timeout when that is longer (a value set here must be at least that).
     */
    @DurationUnit(java.time.temporal.ChronoUnit.MILLIS)
    private Duration deliveryTimeout;

    /** Longest wait for one produce response. Engine default: 30s. */
    @DurationUnit(java.time.temporal.ChronoUnit.MILLIS)
    private Duration requestTimeout;

    /**
     * Longest a send blocks for buffer memory, and longest a record waits for its topic's metadata. Engine
     * default: 60s.
     */
    @DurationUnit(java.time.temporal.ChronoUnit.MILLIS)
    private Duration maxBlock;

    /** Whether the producer is idempotent (no duplicates from retries). Unset leaves the engine's default. */
    private Boolean enableIdempotence;

    /**
     * Unanswered requests per broker connection; 1 keeps order across retries without idempotence. Engine
     * default: 5 (also the most idempotence allows).
     */
    private Integer maxInFlightRequestsPerConnection;

    /** Largest produce request, and so the largest record. Engine default: 1MB. */
    @DataSizeUnit(DataUnit.BYTES)
    private DataSize maxRequestSize;

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

    private final DeliveryTimings deliveryTimings = new DeliveryTimings();

    @NestedConfigurationProperty
    private final CourierSecurityProperties.Security security = new CourierSecurityProperties.Security();

    @NestedConfigurationProperty
    private final CourierSecurityProperties.Ssl ssl = new CourierSecurityProperties.Ssl();

    @NestedConfigurationProperty
    private final CourierSecurityProperties.Sasl sasl = new CourierSecurityProperties.Sasl();

    // Transactions (starter-only settings; the engine's transaction.timeout.ms goes through properties).

    /**
     * Prefix of the transactional ids; setting it makes the template transactional and adds a Courier
     * transaction manager. Producers get the ids prefix + 0, prefix + 1, ... up to the pool size. Must be unique
     * per application instance that may run at the same time (two instances sharing ids fence each other).
     */
    private String transactionIdPrefix;

    /** Most transactional producers, and so most concurrent transactions; more wait up to max-block. */
    private int transactionPoolSize = 10;

    /**
     * A transactional producer idle this long is closed and a new one initialised before the next transaction
     * (0: before every transaction), well before the broker forgets an idle producer id (producer.id.expiration.ms, 1 day) or
     * transactional id (transactional.id.expiration.ms, 7 days). Costs one InitProducerId per idle period.
     */
    private Duration transactionProducerMaxAge = Duration.ofMinutes(5);

    /**
     * Whether the transactional template may send outside a transaction, through a separate non-transactional
     * producer. When false such sends fail with an IllegalStateException.
     */
    private boolean allowNonTransactional;

    /** Per-record delivery timings (delivery.timings.enable). */
    public static class DeliveryTimings {

        /**
         * Whether each acknowledged record says where its time went (metadata wait, linger, queue, retries, wire,
         * attempts), and the delivery timers are recorded. Unset means the engine's default (off).
         */
        private Boolean enabled;

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }
    }

    public DeliveryTimings getDeliveryTimings() {
        return deliveryTimings;
    }

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
     * The engine configuration: the typed properties that are set, then the raw {@code properties} map over
     * them. Serializers are not included unless their class properties are set.
     */
    public Map<String, Object> buildProducerConfig() {
        Map<String, Object> config = new LinkedHashMap<>();
        for (TypedProperty typed : TypedProperty.values()) {
            Object value = typed.valueIn(this);
            if (value != null) {
                config.put(typed.kafkaKey(), value);
            }
        }
        if (deliveryTimings.getEnabled() != null) {
            config.put(dev.courier.producer.ProducerConfig.DELIVERY_TIMINGS_ENABLE, deliveryTimings.getEnabled());
        }
        config.putAll(properties);
        return config;
    }

    /**
     * The property a user sets for a Kafka key, for error messages: the raw map's entry when it has the key,
     * else the typed property mapped to it (set or not), else null.
     */
    public String propertyNameFor(String kafkaKey) {
        if (kafkaKey == null) {
            return null;
        }
        if (properties.containsKey(kafkaKey)) {
            return rawPropertyName(kafkaKey);
        }
        TypedProperty typed = TypedProperty.forKafkaKey(kafkaKey);
        return typed == null ? null : typed.propertyName();
    }

    /** The entry of the raw map for {@code kafkaKey}, e.g. {@code courier.producer.properties[linger.ms]}. */
    static String rawPropertyName(String kafkaKey) {
        return PREFIX + ".properties[" + kafkaKey + "]";
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

    public Integer getMaxInFlightRequestsPerConnection() {
        return maxInFlightRequestsPerConnection;
    }

    public void setMaxInFlightRequestsPerConnection(Integer maxInFlightRequestsPerConnection) {
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

    public CourierSecurityProperties.Security getSecurity() {
        return security;
    }

    public CourierSecurityProperties.Ssl getSsl() {
        return ssl;
    }

    public CourierSecurityProperties.Sasl getSasl() {
        return sasl;
    }

    public String getTransactionIdPrefix() {
        return transactionIdPrefix;
    }

    public void setTransactionIdPrefix(String transactionIdPrefix) {
        this.transactionIdPrefix = transactionIdPrefix;
    }

    public int getTransactionPoolSize() {
        return transactionPoolSize;
    }

    public void setTransactionPoolSize(int transactionPoolSize) {
        this.transactionPoolSize = transactionPoolSize;
    }

    public Duration getTransactionProducerMaxAge() {
        return transactionProducerMaxAge;
    }

    public void setTransactionProducerMaxAge(Duration transactionProducerMaxAge) {
        this.transactionProducerMaxAge = transactionProducerMaxAge;
    }

    public boolean isAllowNonTransactional() {
        return allowNonTransactional;
    }

    public void setAllowNonTransactional(boolean allowNonTransactional) {
        this.allowNonTransactional = allowNonTransactional;
    }
}
