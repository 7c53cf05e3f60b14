package dev.courier.producer;

/**
 * Configuration keys. They are Kafka's own producer keys with Kafka 4.x defaults, so an existing
 * producer configuration carries over; the README lists each key with its default and meaning.
 */
public final class ProducerConfig {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String CLIENT_ID = "client.id";
    public static final String ACKS = "acks";
    public static final String LINGER_MS = "linger.ms";
    public static final String BATCH_SIZE = "batch.size";
    public static final String BUFFER_MEMORY = "buffer.memory";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String COMPRESSION_GZIP_LEVEL = "compression.gzip.level";
    public static final String COMPRESSION_LZ4_LEVEL = "compression.lz4.level";
    public static final String COMPRESSION_ZSTD_LEVEL = "compression.zstd.level";
    public static final String MAX_BLOCK_MS = "max.block.ms";
    public static final String REQUEST_TIMEOUT_MS = "request.timeout.ms";
    public static final String DELIVERY_TIMEOUT_MS = "delivery.timeout.ms";
    public static final String RETRIES = "retries";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    public static final String RECONNECT_BACKOFF_MS = "reconnect.backoff.ms";
    public static final String RECONNECT_BACKOFF_MAX_MS = "reconnect.backoff.max.ms";
    public static final String SOCKET_CONNECTION_SETUP_TIMEOUT_MS = "socket.connection.setup.timeout.ms";
    public static final String SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS = "socket.connection.setup.timeout.max.ms";
    public static final String CONNECTIONS_MAX_IDLE_MS = "connections.max.idle.ms";
    public static final String SEND_BUFFER_BYTES = "send.buffer.bytes";
    public static final String RECEIVE_BUFFER_BYTES = "receive.buffer.bytes";
    public static final String MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION = "max.in.flight.requests.per.connection";
    public static final String MAX_REQUEST_SIZE = "max.request.size";
    public static final String METADATA_MAX_AGE_MS = "metadata.max.age.ms";
    public static final String METADATA_MAX_IDLE_MS = "metadata.max.idle.ms";
    public static final String METADATA_RECOVERY_STRATEGY = "metadata.recovery.strategy";
    public static final String METADATA_RECOVERY_REBOOTSTRAP_TRIGGER_MS = "metadata.recovery.rebootstrap.trigger.ms";
    public static final String ENABLE_IDEMPOTENCE = "enable.idempotence";
    public static final String ALLOW_AUTO_CREATE_TOPICS = "allow.auto.create.topics";
    public static final String KEY_SERIALIZER = "key.serializer";
    public static final String VALUE_SERIALIZER = "value.serializer";
    public static final String PARTITIONER_CLASS = "partitioner.class";
    public static final String PARTITIONER_IGNORE_KEYS = "partitioner.ignore.keys";
    public static final String PARTITIONER_ADAPTIVE_PARTITIONING_ENABLE = "partitioner.adaptive.partitioning.enable";
    public static final String PARTITIONER_AVAILABILITY_TIMEOUT_MS = "partitioner.availability.timeout.ms";
    public static final String INTERCEPTOR_CLASSES = "interceptor.classes";
    public static final String TRANSACTIONAL_ID = "transactional.id";
    public static final String TRANSACTION_TIMEOUT_MS = "transaction.timeout.ms";
    public static final String SECURITY_PROTOCOL = "security.protocol";
    public static final String SSL_PROTOCOL = "ssl.protocol";
    public static final String SSL_ENABLED_PROTOCOLS = "ssl.enabled.protocols";
    public static final String SSL_CIPHER_SUITES = "ssl.cipher.suites";
    public static final String SSL_TRUSTSTORE_TYPE = "ssl.truststore.type";
    public static final String SSL_TRUSTSTORE_LOCATION = "ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_CERTIFICATES = "ssl.truststore.certificates";
    public static final String SSL_KEYSTORE_TYPE = "ssl.keystore.type";
    public static final String SSL_KEYSTORE_LOCATION = "ssl.keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD = "ssl.keystore.password";
    public static final String SSL_KEYSTORE_CERTIFICATE_CHAIN = "ssl.keystore.certificate.chain";
    public static final String SSL_KEYSTORE_KEY = "ssl.keystore.key";
    public static final String SSL_KEY_PASSWORD = "ssl.key.password";
    public static final String SSL_ENDPOINT_IDENTIFICATION_ALGORITHM = "ssl.endpoint.identification.algorithm";
    /** PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER or GSSAPI (Kerberos, the default as in Kafka). */
    public static final String SASL_MECHANISM = "sasl.mechanism";
    /** The JAAS line, exactly as for Kafka's client, e.g. {@code ...PlainLoginModule required username="u" password="p";}. */
    public static final String SASL_JAAS_CONFIG = "sasl.jaas.config";
    /** GSSAPI: the Kerberos service name the brokers run as (usually {@code kafka}); required for GSSAPI. */
    public static final String SASL_KERBEROS_SERVICE_NAME = "sasl.kerberos.service.name";
    /** OAUTHBEARER: the OIDC token endpoint (client-credentials grant); unset means unsecured development tokens. */
    public static final String SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL = "sasl.oauthbearer.token.endpoint.url";
    /** OAUTHBEARER token endpoint: connect timeout (default 10000 here; Kafka leaves it to the JDK). */
    public static final String SASL_LOGIN_CONNECT_TIMEOUT_MS = "sasl.login.connect.timeout.ms";
    /** OAUTHBEARER token endpoint: timeout for the whole answer (default 10000 here). */
    public static final String SASL_LOGIN_READ_TIMEOUT_MS = "sasl.login.read.timeout.ms";

    // Courier's own keys (the official producer ignores them)

    /**
     * The most records accepted and not yet completed; {@code send} waits for room up to {@code max.block.ms}
     * as it does for {@code buffer.memory}, {@code trySend} fails at once. 0 (the default): no limit.
     */
    public static final String MAX_BUFFERED_RECORDS = "max.buffered.records";

    /**
     * A {@link SslContextProvider} object (not a class name) whose context TLS connections use instead of the
     * trust and key material of the {@code ssl.*} keys; asked again for each new connection.
     */
    public static final String SSL_CONTEXT_PROVIDER = "courier.ssl.context.provider";

    /**
     * {@link ProducerEventListener}s told about connections, retries, epoch bumps and batches: class names,
     * classes or instances, as for {@code interceptor.classes}. Default: none (no event is created).
     */
    public static final String EVENT_LISTENERS = "event.listeners";

    /**
     * Whether each acknowledged record's {@link RecordMetadata#timings()} says where its time went (metadata
     * wait, linger, queue, retries, wire, attempts). Default false: nothing is measured.
     */
    public static final String DELIVERY_TIMINGS_ENABLE = "delivery.timings.enable";

    private ProducerConfig() {
    }
}
