package dev.courier.producer.internals.config;

import static dev.courier.producer.ProducerConfig.ACKS;
import static dev.courier.producer.ProducerConfig.ALLOW_AUTO_CREATE_TOPICS;
import static dev.courier.producer.ProducerConfig.BATCH_SIZE;
import static dev.courier.producer.ProducerConfig.BOOTSTRAP_SERVERS;
import static dev.courier.producer.ProducerConfig.BUFFER_MEMORY;
import static dev.courier.producer.ProducerConfig.CLIENT_ID;
import static dev.courier.producer.ProducerConfig.COMPRESSION_GZIP_LEVEL;
import static dev.courier.producer.ProducerConfig.COMPRESSION_LZ4_LEVEL;
import static dev.courier.producer.ProducerConfig.COMPRESSION_TYPE;
import static dev.courier.producer.ProducerConfig.COMPRESSION_ZSTD_LEVEL;
import static dev.courier.producer.ProducerConfig.CONNECTIONS_MAX_IDLE_MS;
import static dev.courier.producer.ProducerConfig.DELIVERY_TIMEOUT_MS;
import static dev.courier.producer.ProducerConfig.INTERCEPTOR_CLASSES;
import static dev.courier.producer.ProducerConfig.KEY_SERIALIZER;
import static dev.courier.producer.ProducerConfig.LINGER_MS;
import static dev.courier.producer.ProducerConfig.MAX_BLOCK_MS;
import static dev.courier.producer.ProducerConfig.MAX_BUFFERED_RECORDS;
import static dev.courier.producer.ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION;
import static dev.courier.producer.ProducerConfig.MAX_REQUEST_SIZE;
import static dev.courier.producer.ProducerConfig.METADATA_MAX_AGE_MS;
import static dev.courier.producer.ProducerConfig.METADATA_MAX_IDLE_MS;
import static dev.courier.producer.ProducerConfig.METADATA_RECOVERY_REBOOTSTRAP_TRIGGER_MS;
import static dev.courier.producer.ProducerConfig.METADATA_RECOVERY_STRATEGY;
import static dev.courier.producer.ProducerConfig.PARTITIONER_ADAPTIVE_PARTITIONING_ENABLE;
import static dev.courier.producer.ProducerConfig.PARTITIONER_AVAILABILITY_TIMEOUT_MS;
import static dev.courier.producer.ProducerConfig.PARTITIONER_CLASS;
import static dev.courier.producer.ProducerConfig.PARTITIONER_IGNORE_KEYS;
import static dev.courier.producer.ProducerConfig.RECEIVE_BUFFER_BYTES;
import static dev.courier.producer.ProducerConfig.RECONNECT_BACKOFF_MAX_MS;
import static dev.courier.producer.ProducerConfig.RECONNECT_BACKOFF_MS;
import static dev.courier.producer.ProducerConfig.REQUEST_TIMEOUT_MS;
import static dev.courier.producer.ProducerConfig.RETRIES;
import static dev.courier.producer.ProducerConfig.RETRY_BACKOFF_MAX_MS;
import static dev.courier.producer.ProducerConfig.RETRY_BACKOFF_MS;
import static dev.courier.producer.ProducerConfig.SASL_JAAS_CONFIG;
import static dev.courier.producer.ProducerConfig.SEND_BUFFER_BYTES;
import static dev.courier.producer.ProducerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS;
import static dev.courier.producer.ProducerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS;
import static dev.courier.producer.ProducerConfig.VALUE_SERIALIZER;

import dev.courier.producer.errors.ConfigException;
import dev.courier.producer.internals.security.SaslSettings;
import dev.courier.producer.internals.security.SslFactory;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer's configuration, parsed and validated once at construction. Keys, defaults and ranges
 * are Kafka 4.x's (see {@link dev.courier.producer.ProducerConfig}), so an existing Kafka producer
 * configuration carries over, security included (PLAINTEXT, SSL, SASL_PLAINTEXT and SASL_SSL; SASL with PLAIN,
 * SCRAM, OAUTHBEARER and GSSAPI).
 *
 * <p>Settings that are parsed and checked together live in their own classes, held here and exposed through
 * this class's accessors: {@link SecuritySettings} and {@link IdempotenceSettings}; {@link UnusedKeys} names the
 * keys that have no effect.
 *
 * <p>Immutable and therefore safe to share between threads.
 */
public final class ProducerSettings {

    private static final Logger log = LoggerFactory.getLogger(ProducerSettings.class);

    static final String SNAPPY_CLASS = "org.xerial.snappy.Snappy";
    static final String ZSTD_CLASS = "com.github.luben.zstd.Zstd";

    private static final List<String> COMPRESSION_TYPES = List.of("none", "gzip", "snappy", "lz4", "zstd");
    /** Numbers the generated client ids, like Kafka's "producer-N". */
    private static final AtomicInteger CLIENT_ID_SEQUENCE = new AtomicInteger(1);

    private final Map<String, Object> originals;
    private final List<String> bootstrapServers;
    private final String clientId;
    private final short acks;
    private final long lingerMs;
    private final int batchSize;
    private final long bufferMemory;
    private final String compressionType;
    private final int compressionLevel;
    private final long maxBlockMs;
    private final int maxBufferedRecords;
    private final int requestTimeoutMs;
    private final int deliveryTimeoutMs;
    private final int retries;
    private final long retryBackoffMs;
    private final long retryBackoffMaxMs;
    private final long reconnectBackoffMs;
    private final long reconnectBackoffMaxMs;
    private final long socketConnectionSetupTimeoutMs;
    private final long socketConnectionSetupTimeoutMaxMs;
    private final long connectionsMaxIdleMs;
    private final int sendBufferBytes;
    private final int receiveBufferBytes;
    private final int maxInFlightRequestsPerConnection;
    private final int maxRequestSize;
    private final long metadataMaxAgeMs;
    private final long metadataMaxIdleMs;
    private final boolean allowAutoCreateTopics;
    private final boolean partitionerIgnoreKeys;
    private final boolean partitionerAdaptivePartitioningEnable;
    private final boolean metadataRecoveryRebootstrap;
    private final long metadataRecoveryRebootstrapTriggerMs;
    private final long partitionerAvailabilityTimeoutMs;
    private final Object keySerializer;
    private final Object valueSerializer;
    private final Object partitionerClass;
    private final List<Object> interceptorClasses;
    private final List<Object> eventListeners;
    private final boolean deliveryTimingsEnable;
    /** security.protocol with the TLS context and SASL settings it calls for. */
    private final SecuritySettings security;
    /** enable.idempotence as resolved, transactional.id and transaction.timeout.ms. */
    private final IdempotenceSettings idempotence;

    private ProducerSettings(Map<String, Object> originals, Predicate<String> classPresent) {
        this.originals = originals;
        ConfigValues v = new ConfigValues(originals);

        this.bootstrapServers = BootstrapServers.parse(BOOTSTRAP_SERVERS, v.rawValue(BOOTSTRAP_SERVERS), v.list(BOOTSTRAP_SERVERS));
        String id = v.string(CLIENT_ID, "");
        this.clientId = id.isEmpty() ? "courier-producer-" + CLIENT_ID_SEQUENCE.getAndIncrement() : id;
        this.acks = parseAcks(v);
        this.lingerMs = v.longAtLeast(LINGER_MS, 5L, 0);
        this.batchSize = v.intAtLeast(BATCH_SIZE, 16384, 0);
        this.bufferMemory = v.longAtLeast(BUFFER_MEMORY, 33_554_432L, 0);

        this.compressionType = parseCompressionType(v, classPresent);
        int gzipLevel = parseGzipLevel(v);
        int lz4Level = v.intIn(COMPRESSION_LZ4_LEVEL, 9, 1, 17);
        int zstdLevel = v.intIn(COMPRESSION_ZSTD_LEVEL, 3, -131072, 22);
        this.compressionLevel = switch (compressionType) {
            case "gzip" -> gzipLevel;
            case "lz4" -> lz4Level;
            case "zstd" -> zstdLevel;
            default -> 0;
        };

        this.maxBlockMs = v.longAtLeast(MAX_BLOCK_MS, 60_000L, 0);
        this.maxBufferedRecords = v.intAtLeast(MAX_BUFFERED_RECORDS, 0, 0);
        this.requestTimeoutMs = v.intAtLeast(REQUEST_TIMEOUT_MS, 30_000, 0);
        this.deliveryTimeoutMs = resolveDeliveryTimeout(v, lingerMs, requestTimeoutMs);
        this.retries = v.intIn(RETRIES, Integer.MAX_VALUE, 0, Integer.MAX_VALUE);
        this.retryBackoffMs = v.longAtLeast(RETRY_BACKOFF_MS, 100L, 0);
        this.retryBackoffMaxMs = atLeastBase(v, RETRY_BACKOFF_MAX_MS, v.longAtLeast(RETRY_BACKOFF_MAX_MS, 1000L, 0),
                RETRY_BACKOFF_MS, retryBackoffMs);
        this.reconnectBackoffMs = v.longAtLeast(RECONNECT_BACKOFF_MS, 50L, 0);
        this.reconnectBackoffMaxMs = atLeastBase(v, RECONNECT_BACKOFF_MAX_MS,
                v.longAtLeast(RECONNECT_BACKOFF_MAX_MS, 1000L, 0), RECONNECT_BACKOFF_MS, reconnectBackoffMs);
        this.socketConnectionSetupTimeoutMs = v.longAtLeast(SOCKET_CONNECTION_SETUP_TIMEOUT_MS, 10_000L, 0);
        this.socketConnectionSetupTimeoutMaxMs = atLeastBase(v, SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS,
                v.longAtLeast(SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS, 30_000L, 0),
                SOCKET_CONNECTION_SETUP_TIMEOUT_MS, socketConnectionSetupTimeoutMs);
        this.connectionsMaxIdleMs = v.longIn(CONNECTIONS_MAX_IDLE_MS, 540_000L, Long.MIN_VALUE, Long.MAX_VALUE);
        this.sendBufferBytes = v.intAtLeast(SEND_BUFFER_BYTES, 131_072, -1);
        this.receiveBufferBytes = v.intAtLeast(RECEIVE_BUFFER_BYTES, 32_768, -1);
        this.maxInFlightRequestsPerConnection = v.intAtLeast(MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5, 1);
        this.maxRequestSize = v.intAtLeast(MAX_REQUEST_SIZE, 1_048_576, 0);
        this.metadataMaxAgeMs = v.longAtLeast(METADATA_MAX_AGE_MS, 300_000L, 0);
        this.metadataMaxIdleMs = v.longAtLeast(METADATA_MAX_IDLE_MS, 300_000L, 5000);
        this.metadataRecoveryRebootstrap = parseMetadataRecoveryStrategy(v);
        this.metadataRecoveryRebootstrapTriggerMs = v.longAtLeast(METADATA_RECOVERY_REBOOTSTRAP_TRIGGER_MS, 300_000L, 0);
        this.allowAutoCreateTopics = v.bool(ALLOW_AUTO_CREATE_TOPICS, true);
        this.partitionerIgnoreKeys = v.bool(PARTITIONER_IGNORE_KEYS, false);
        this.partitionerAdaptivePartitioningEnable = v.bool(PARTITIONER_ADAPTIVE_PARTITIONING_ENABLE, true);
        this.partitionerAvailabilityTimeoutMs = v.longAtLeast(PARTITIONER_AVAILABILITY_TIMEOUT_MS, 0L, 0);

        this.keySerializer = v.rawValue(KEY_SERIALIZER);
        this.valueSerializer = v.rawValue(VALUE_SERIALIZER);
        this.partitionerClass = v.rawValue(PARTITIONER_CLASS);
        this.interceptorClasses = Collections.unmodifiableList(v.list(INTERCEPTOR_CLASSES));
        this.eventListeners = Collections.unmodifiableList(
                v.list(dev.courier.producer.ProducerConfig.EVENT_LISTENERS));
        this.deliveryTimingsEnable = v.bool(dev.courier.producer.ProducerConfig.DELIVERY_TIMINGS_ENABLE, false);

        this.security = SecuritySettings.parse(v, originals);
        this.idempotence = IdempotenceSettings.resolve(v, acks, retries, maxInFlightRequestsPerConnection);
    }

    /**
     * Parses and validates {@code raw}. Unknown keys are logged once at WARN and kept in
     * {@link #originals()} (plug-ins may read them).
     *
     * @throws ConfigException naming the key, the value and what is allowed
     */
    public static ProducerSettings from(Map<String, ?> raw) {
        return from(raw, ProducerSettings::classPresent);
    }

    /** As {@link #from(Map)}; property values may be strings or any of the types the map form takes. */
    public static ProducerSettings from(Properties properties) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> e : properties.entrySet()) {
            map.put(String.valueOf(e.getKey()), e.getValue());
        }
        for (String name : properties.stringPropertyNames()) {
            map.putIfAbsent(name, properties.getProperty(name)); // values inherited from the defaults
        }
        return from(map);
    }

    /** Seam for tests: {@code classPresent} answers whether an optional codec library is on the classpath. */
    static ProducerSettings from(Map<String, ?> raw, Predicate<String> classPresent) {
        if (raw == null) {
            throw new ConfigException(BOOTSTRAP_SERVERS, null, "a configuration map is required");
        }
        Map<String, Object> originals = Collections.unmodifiableMap(new LinkedHashMap<>(raw));
        ProducerSettings settings = new ProducerSettings(originals, classPresent);
        UnusedKeys.warn(originals, settings.securityProtocol());
        return settings;
    }

    /** See {@link UnusedKeys#securityKeysUnused}. */
    static Set<String> securityKeysUnused(Map<String, Object> originals, String securityProtocol) {
        return UnusedKeys.securityKeysUnused(originals, securityProtocol);
    }

    private static short parseAcks(ConfigValues v) {
        Object value = v.rawValue(ACKS);
        if (value == null) {
            return -1;
        }
        String text = value.toString().trim().toLowerCase(Locale.ROOT);
        switch (text) {
            case "all":
            case "-1":
                return -1;
            case "0":
                return 0;
            case "1":
                return 1;
            default:
                throw new ConfigException(ACKS, value, "must be one of all, -1, 0, 1");
        }
    }

    /** none or rebootstrap (Kafka 4's default), in any case; true for rebootstrap. */
    private static boolean parseMetadataRecoveryStrategy(ConfigValues v) {
        String strategy = v.string(METADATA_RECOVERY_STRATEGY, "rebootstrap").toLowerCase(Locale.ROOT);
        if (!strategy.equals("none") && !strategy.equals("rebootstrap")) {
            throw new ConfigException(METADATA_RECOVERY_STRATEGY, v.rawValue(METADATA_RECOVERY_STRATEGY),
                    "must be one of none, rebootstrap");
        }
        return strategy.equals("rebootstrap");
    }

    private static String parseCompressionType(ConfigValues v, Predicate<String> classPresent) {
        String type = v.string(COMPRESSION_TYPE, "none").toLowerCase(Locale.ROOT);
        if (!COMPRESSION_TYPES.contains(type)) {
            throw new ConfigException(COMPRESSION_TYPE, v.rawValue(COMPRESSION_TYPE),
                    "must be one of " + String.join(", ", COMPRESSION_TYPES));
        }
        if (type.equals("snappy") && !classPresent.test(SNAPPY_CLASS)) {
            throw new ConfigException(COMPRESSION_TYPE, type,
                    "snappy needs the optional library org.xerial.snappy:snappy-java on the classpath; add that dependency");
        }
        if (type.equals("zstd") && !classPresent.test(ZSTD_CLASS)) {
            throw new ConfigException(COMPRESSION_TYPE, type,
                    "zstd needs the optional library com.github.luben:zstd-jni on the classpath; add that dependency");
        }
        return type;
    }

    private static int parseGzipLevel(ConfigValues v) {
        Object value = v.rawValue(COMPRESSION_GZIP_LEVEL);
        if (value == null) {
            return -1;
        }
        String allowed = "must be -1 (the codec's default) or between 1 and 9";
        long level = ConfigValues.toLong(COMPRESSION_GZIP_LEVEL, value, allowed);
        if (level != -1 && (level < 1 || level > 9)) {
            throw new ConfigException(COMPRESSION_GZIP_LEVEL, value, allowed);
        }
        return (int) level;
    }

    /**
     * delivery.timeout.ms must leave room for the linger and one request. Set explicitly too low it is an
     * error; left at its default it is raised quietly, as Kafka does.
     */
    private static int resolveDeliveryTimeout(ConfigValues v, long lingerMs, int requestTimeoutMs) {
        int configured = v.intAtLeast(DELIVERY_TIMEOUT_MS, 120_000, 0);
        long needed = lingerMs + requestTimeoutMs;
        if (configured >= needed) {
            return configured;
        }
        if (v.isSet(DELIVERY_TIMEOUT_MS)) {
            throw new ConfigException(DELIVERY_TIMEOUT_MS, v.rawValue(DELIVERY_TIMEOUT_MS),
                    "must be at least linger.ms + request.timeout.ms = " + needed);
        }
        int raised = (int) Math.min(needed, Integer.MAX_VALUE);
        log.info("delivery.timeout.ms raised from its default {} to linger.ms + request.timeout.ms = {}",
                configured, raised);
        return raised;
    }

    /**
     * A backoff or timeout ceiling below its base: when the ceiling was left at its default it follows
     * the base up (as Kafka does for the backoffs); set explicitly, it is kept and a WARN says so,
     * because the policy then never grows.
     */
    private static long atLeastBase(ConfigValues v, String maxKey, long max, String baseKey, long base) {
        if (max >= base) {
            return max;
        }
        if (!v.isSet(maxKey)) {
            return base;
        }
        log.warn("{}={} is below {}={}: the value will not grow between attempts", maxKey, max, baseKey, base);
        return max;
    }

    /** See {@link IdempotenceSettings#validate}. */
    static boolean validateIdempotence(Boolean explicit, short acks, int retries, int maxInFlight) {
        return IdempotenceSettings.validate(explicit, acks, retries, maxInFlight);
    }

    private static boolean classPresent(String className) {
        try {
            Class.forName(className, false, ProducerSettings.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The configuration as given, with secrets (JAAS lines, passwords, keys) shown as {@code [hidden]}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("ProducerSettings{");
        for (Map.Entry<String, Object> e : new java.util.TreeMap<>(originals).entrySet()) {
            out.append(out.length() > 17 ? ", " : "").append(e.getKey()).append('=')
                    .append(isSecret(e.getKey()) ? "[hidden]" : e.getValue());
        }
        return out.append('}').toString();
    }

    private static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.equals(SASL_JAAS_CONFIG) || k.contains("password") || k.contains("secret") || k.endsWith(".key");
    }

    /** Everything the user passed, unknown keys included; unmodifiable. */
    public Map<String, Object> originals() { return originals; }

    /** "host:port" entries, validated, in the order given. */
    public List<String> bootstrapServers() { return bootstrapServers; }

    /** The configured client.id, or a generated "courier-producer-N" when it was empty. */
    public String clientId() { return clientId; }

    /** -1 (all), 0 or 1. */
    public short acks() { return acks; }

    public long lingerMs() { return lingerMs; }

    public int batchSize() { return batchSize; }

    public long bufferMemory() { return bufferMemory; }

    /** none, gzip, snappy, lz4 or zstd. */
    public String compressionType() { return compressionType; }

    /** The level for {@link #compressionType()} (gzip -1 or 1..9, lz4 1..17, zstd -131072..22); 0 for none and snappy. */
    public int compressionLevel() { return compressionLevel; }

    public long maxBlockMs() { return maxBlockMs; }

    /** max.buffered.records; 0: no limit. */
    public int maxBufferedRecords() { return maxBufferedRecords; }

    public int requestTimeoutMs() { return requestTimeoutMs; }

    /** At least linger.ms + request.timeout.ms. */
    public int deliveryTimeoutMs() { return deliveryTimeoutMs; }

    public int retries() { return retries; }

    public long retryBackoffMs() { return retryBackoffMs; }

    public long retryBackoffMaxMs() { return retryBackoffMaxMs; }

    public long reconnectBackoffMs() { return reconnectBackoffMs; }

    public long reconnectBackoffMaxMs() { return reconnectBackoffMaxMs; }

    public long socketConnectionSetupTimeoutMs() { return socketConnectionSetupTimeoutMs; }

    public long socketConnectionSetupTimeoutMaxMs() { return socketConnectionSetupTimeoutMaxMs; }

    /** Negative: idle connections are never closed. */
    public long connectionsMaxIdleMs() { return connectionsMaxIdleMs; }

    /** -1: the operating system's default. */
    public int sendBufferBytes() { return sendBufferBytes; }

    /** -1: the operating system's default. */
    public int receiveBufferBytes() { return receiveBufferBytes; }

    public int maxInFlightRequestsPerConnection() { return maxInFlightRequestsPerConnection; }

    public int maxRequestSize() { return maxRequestSize; }

    public long metadataMaxAgeMs() { return metadataMaxAgeMs; }

    public long metadataMaxIdleMs() { return metadataMaxIdleMs; }

    public boolean allowAutoCreateTopics() { return allowAutoCreateTopics; }

    /** metadata.recovery.strategy is rebootstrap: go back to bootstrap.servers when no known broker answers. */
    public boolean metadataRecoveryRebootstrap() { return metadataRecoveryRebootstrap; }

    public long metadataRecoveryRebootstrapTriggerMs() { return metadataRecoveryRebootstrapTriggerMs; }

    /** Whether the producer is idempotent (after the acks/retries rules of {@link #validateIdempotence}). */
    public boolean enableIdempotence() { return idempotence.enableIdempotence; }

    public boolean partitionerIgnoreKeys() { return partitionerIgnoreKeys; }

    public boolean partitionerAdaptivePartitioningEnable() { return partitionerAdaptivePartitioningEnable; }

    public long partitionerAvailabilityTimeoutMs() { return partitionerAvailabilityTimeoutMs; }

    /** As given: a Class, a class name or an instance; null when not set. See {@link Plugins}. */
    public Object keySerializer() { return keySerializer; }

    /** As given: a Class, a class name or an instance; null when not set. See {@link Plugins}. */
    public Object valueSerializer() { return valueSerializer; }

    /** As given, or null for the built-in partitioner. */
    public Object partitionerClass() { return partitionerClass; }

    /** Classes, class names or instances, in the order given; unmodifiable. */
    public List<Object> interceptorClasses() { return interceptorClasses; }

    /** event.listeners: class names, classes or instances of ProducerEventListener. */
    public List<Object> eventListeners() { return eventListeners; }

    public boolean deliveryTimingsEnable() { return deliveryTimingsEnable; }

    /** The transactional id, or null for a producer without transactions. */
    public String transactionalId() { return idempotence.transactionalId; }

    /** How long the coordinator lets a transaction stay open before aborting it (Kafka's default 60 s). */
    public int transactionTimeoutMs() { return idempotence.transactionTimeoutMs; }

    /** PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, upper case. */
    public String securityProtocol() { return security.protocol; }

    /** The TLS context for SSL and SASL_SSL connections, built and checked at construction; else null. */
    public SslFactory sslFactory() { return security.sslFactory; }

    /** The validated SASL settings for a SASL_* security protocol, else null. */
    public SaslSettings sasl() { return security.sasl; }
}
