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
import static dev.courier.producer.ProducerConfig.ENABLE_IDEMPOTENCE;
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
import static dev.courier.producer.ProducerConfig.SASL_KERBEROS_SERVICE_NAME;
import static dev.courier.producer.ProducerConfig.SASL_LOGIN_CONNECT_TIMEOUT_MS;
import static dev.courier.producer.ProducerConfig.SASL_LOGIN_READ_TIMEOUT_MS;
import static dev.courier.producer.ProducerConfig.SASL_MECHANISM;
import static dev.courier.producer.ProducerConfig.SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL;
import static dev.courier.producer.ProducerConfig.SECURITY_PROTOCOL;
import static dev.courier.producer.ProducerConfig.SEND_BUFFER_BYTES;
import static dev.courier.producer.ProducerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS;
import static dev.courier.producer.ProducerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS;
import static dev.courier.producer.ProducerConfig.TRANSACTIONAL_ID;
import static dev.courier.producer.ProducerConfig.TRANSACTION_TIMEOUT_MS;
import static dev.courier.producer.ProducerConfig.VALUE_SERIALIZER;

import dev.courier.producer.internals.security.SslSettings;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names the configuration keys that will have no effect, at WARN once per producer: keys the producer does not
 * know (a typo, or another client's key; still passed to plug-ins), and {@code sasl.*} or {@code ssl.*} keys
 * that the security.protocol leaves unused. Key names only, never values: they may be secrets.
 *
 * <p>Stateless; called on the thread that builds the {@link ProducerSettings}.
 */
final class UnusedKeys {

    /** Under ProducerSettings' name, where these configuration warnings have always been logged. */
    private static final Logger log = LoggerFactory.getLogger(ProducerSettings.class);

    private static final Set<String> KNOWN_KEYS = Set.of(BOOTSTRAP_SERVERS, CLIENT_ID, ACKS, LINGER_MS,
            BATCH_SIZE, BUFFER_MEMORY, COMPRESSION_TYPE, COMPRESSION_GZIP_LEVEL, COMPRESSION_LZ4_LEVEL,
            COMPRESSION_ZSTD_LEVEL, MAX_BLOCK_MS, REQUEST_TIMEOUT_MS, DELIVERY_TIMEOUT_MS, RETRIES,
            RETRY_BACKOFF_MS, RETRY_BACKOFF_MAX_MS, RECONNECT_BACKOFF_MS, RECONNECT_BACKOFF_MAX_MS,
            SOCKET_CONNECTION_SETUP_TIMEOUT_MS, SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS, CONNECTIONS_MAX_IDLE_MS,
            SEND_BUFFER_BYTES, RECEIVE_BUFFER_BYTES, MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, MAX_REQUEST_SIZE,
            METADATA_MAX_AGE_MS, METADATA_MAX_IDLE_MS, ENABLE_IDEMPOTENCE, ALLOW_AUTO_CREATE_TOPICS,
            METADATA_RECOVERY_STRATEGY, METADATA_RECOVERY_REBOOTSTRAP_TRIGGER_MS,
            KEY_SERIALIZER, VALUE_SERIALIZER, PARTITIONER_CLASS, PARTITIONER_IGNORE_KEYS,
            PARTITIONER_ADAPTIVE_PARTITIONING_ENABLE, PARTITIONER_AVAILABILITY_TIMEOUT_MS, INTERCEPTOR_CLASSES,
            TRANSACTIONAL_ID, TRANSACTION_TIMEOUT_MS, SECURITY_PROTOCOL, SASL_MECHANISM, SASL_JAAS_CONFIG,
            SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL, SASL_LOGIN_CONNECT_TIMEOUT_MS, SASL_LOGIN_READ_TIMEOUT_MS,
            SASL_KERBEROS_SERVICE_NAME);

    /** Keys of Courier's own, beyond Kafka's. */
    private static final Set<String> COURIER_KEYS = Set.of(MAX_BUFFERED_RECORDS,
            dev.courier.producer.ProducerConfig.EVENT_LISTENERS,
            dev.courier.producer.ProducerConfig.DELIVERY_TIMINGS_ENABLE,
            dev.courier.producer.ProducerConfig.SSL_CONTEXT_PROVIDER);

    private UnusedKeys() {
    }

    /** Logs the unknown keys, then the security keys {@code securityProtocol} leaves unused; nothing if none. */
    static void warn(Map<String, Object> originals, String securityProtocol) {
        warnAboutUnknownKeys(originals);
        Set<String> unused = securityKeysUnused(originals, securityProtocol);
        if (!unused.isEmpty()) {
            log.warn("security.protocol is {}, so these keys have no effect: {}", securityProtocol, unused);
        }
    }

    /**
     * The {@code sasl.*} keys set without a SASL protocol, and the {@code ssl.*} keys without SSL: most often a
     * forgotten {@code security.protocol}, which would otherwise only show as a broker refusing the connection.
     * Key names only: their values may be secrets.
     */
    static Set<String> securityKeysUnused(Map<String, Object> originals, String securityProtocol) {
        Set<String> unused = new TreeSet<>();
        for (String key : originals.keySet()) {
            if ((key.startsWith("sasl.") && !securityProtocol.startsWith("SASL_"))
                    || (SslSettings.KEYS.contains(key) && !securityProtocol.endsWith("SSL"))) {
                unused.add(key);
            }
        }
        return unused;
    }

    private static void warnAboutUnknownKeys(Map<String, Object> originals) {
        Set<String> unknown = new TreeSet<>();
        for (String key : originals.keySet()) {
            if (!KNOWN_KEYS.contains(key) && !SslSettings.KEYS.contains(key) && !COURIER_KEYS.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            log.warn("Ignoring configuration keys the producer does not know: {} (they are still passed to plug-ins)",
                    unknown);
        }
    }
}
