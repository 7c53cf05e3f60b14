package dev.courier.producer.internals.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.ProducerConfig;
import dev.courier.producer.errors.ConfigException;
import dev.courier.producer.serialization.StringSerializer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProducerSettingsTests {

    private static final Map<String, Object> KAFKA_DEFAULTS =
            org.apache.kafka.clients.producer.ProducerConfig.configDef().defaultValues();

    /** A valid configuration (bootstrap.servers set) plus the given key/value pairs. */
    private static Map<String, Object> config(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(ProducerConfig.BOOTSTRAP_SERVERS, "localhost:9092");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static ProducerSettings settings(Object... keysAndValues) {
        return ProducerSettings.from(config(keysAndValues));
    }

    private static ConfigException rejection(Object... keysAndValues) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> settings(keysAndValues));
        assertThat(thrown).isInstanceOf(ConfigException.class);
        return (ConfigException) thrown;
    }

    @Nested
    class Defaults {

        private final ProducerSettings defaults = settings();

        @Test
        void numericDefaultsEqualKafka4ProducerDefaults() {
            assertThat(defaults.lingerMs()).isEqualTo(KAFKA_DEFAULTS.get("linger.ms")).isEqualTo(5L);
            assertThat(defaults.batchSize()).isEqualTo(KAFKA_DEFAULTS.get("batch.size"));
            assertThat(defaults.bufferMemory()).isEqualTo(KAFKA_DEFAULTS.get("buffer.memory"));
            assertThat(defaults.maxBlockMs()).isEqualTo(KAFKA_DEFAULTS.get("max.block.ms"));
            assertThat(defaults.requestTimeoutMs()).isEqualTo(KAFKA_DEFAULTS.get("request.timeout.ms"));
            assertThat(defaults.deliveryTimeoutMs()).isEqualTo(KAFKA_DEFAULTS.get("delivery.timeout.ms"));
            assertThat(defaults.retries()).isEqualTo(KAFKA_DEFAULTS.get("retries"));
            assertThat(defaults.retryBackoffMs()).isEqualTo(KAFKA_DEFAULTS.get("retry.backoff.ms"));
            assertThat(defaults.retryBackoffMaxMs()).isEqualTo(KAFKA_DEFAULTS.get("retry.backoff.max.ms"));
            assertThat(defaults.reconnectBackoffMs()).isEqualTo(KAFKA_DEFAULTS.get("reconnect.backoff.ms"));
            assertThat(defaults.reconnectBackoffMaxMs()).isEqualTo(KAFKA_DEFAULTS.get("reconnect.backoff.max.ms"));
            assertThat(defaults.socketConnectionSetupTimeoutMs())
                    .isEqualTo(KAFKA_DEFAULTS.get("socket.connection.setup.timeout.ms"));
            assertThat(defaults.socketConnectionSetupTimeoutMaxMs())
                    .isEqualTo(KAFKA_DEFAULTS.get("socket.connection.setup.timeout.max.ms"));
            assertThat(defaults.connectionsMaxIdleMs()).isEqualTo(KAFKA_DEFAULTS.get("connections.max.idle.ms"));
            assertThat(defaults.sendBufferBytes()).isEqualTo(KAFKA_DEFAULTS.get("send.buffer.bytes"));
            assertThat(defaults.receiveBufferBytes()).isEqualTo(KAFKA_DEFAULTS.get("receive.buffer.bytes"));
            assertThat(defaults.maxInFlightRequestsPerConnection())
                    .isEqualTo(KAFKA_DEFAULTS.get("max.in.flight.requests.per.connection"));
            assertThat(defaults.maxRequestSize()).isEqualTo(KAFKA_DEFAULTS.get("max.request.size"));
            assertThat(defaults.metadataMaxAgeMs()).isEqualTo(KAFKA_DEFAULTS.get("metadata.max.age.ms"));
            assertThat(defaults.metadataMaxIdleMs()).isEqualTo(KAFKA_DEFAULTS.get("metadata.max.idle.ms"));
            assertThat(defaults.partitionerAvailabilityTimeoutMs())
                    .isEqualTo(KAFKA_DEFAULTS.get("partitioner.availability.timeout.ms"));
        }

        @Test
        void otherDefaultsEqualKafka4ProducerDefaults() {
            assertThat(KAFKA_DEFAULTS.get("acks")).isEqualTo("all");
            assertThat(defaults.acks()).isEqualTo((short) -1);
            assertThat(defaults.compressionType()).isEqualTo(KAFKA_DEFAULTS.get("compression.type"));
            assertThat(defaults.allowAutoCreateTopics()).isTrue(); // a consumer key in Kafka; its producer always allows
            assertThat(defaults.partitionerIgnoreKeys()).isEqualTo(KAFKA_DEFAULTS.get("partitioner.ignore.keys"));
            assertThat(defaults.partitionerAdaptivePartitioningEnable())
                    .isEqualTo(KAFKA_DEFAULTS.get("partitioner.adaptive.partitioning.enable"));
            assertThat(defaults.securityProtocol()).isEqualTo(KAFKA_DEFAULTS.get("security.protocol"));
            assertThat(defaults.transactionalId()).isNull();
            assertThat(defaults.partitionerClass()).isNull();
            assertThat(defaults.interceptorClasses()).isEmpty();
            assertThat(defaults.keySerializer()).isNull();
            assertThat(defaults.valueSerializer()).isNull();
        }

        @Test
        void compressionLevelDefaultsEqualKafka4ForEachCodec() {
            assertThat(settings("compression.type", "gzip").compressionLevel())
                    .isEqualTo(KAFKA_DEFAULTS.get("compression.gzip.level")).isEqualTo(-1);
            assertThat(settings("compression.type", "lz4").compressionLevel())
                    .isEqualTo(KAFKA_DEFAULTS.get("compression.lz4.level")).isEqualTo(9);
            assertThat(settings("compression.type", "zstd").compressionLevel())
                    .isEqualTo(KAFKA_DEFAULTS.get("compression.zstd.level")).isEqualTo(3);
            assertThat(defaults.compressionLevel()).isZero();
        }

        @Test
        void maxBufferedRecordsIsOffByDefault() {
            assertThat(defaults.maxBufferedRecords()).isZero();
            assertThat(settings("max.buffered.records", "500").maxBufferedRecords()).isEqualTo(500);
            assertThat(rejection("max.buffered.records", "-1")).hasMessage(
                    "Invalid value -1 for configuration max.buffered.records: must be between 0 and 2147483647");
        }

        @Test
        void idempotenceIsOnByDefaultAsInKafka() {
            assertThat(KAFKA_DEFAULTS.get("enable.idempotence")).isEqualTo(true);
            assertThat(defaults.enableIdempotence()).isTrue();
        }

        @Test
        void anEmptyClientIdIsReplacedByADistinctGeneratedOne() {
            String first = settings().clientId();
            String second = settings("client.id", "").clientId();
            assertThat(first).startsWith("courier-producer-");
            assertThat(second).startsWith("courier-producer-").isNotEqualTo(first);
            assertThat(settings("client.id", "orders").clientId()).isEqualTo("orders");
        }
    }

    @Nested
    class Parsing {

        @Test
        void numbersGivenAsStringsOrNumbersParse() {
            ProducerSettings s = settings("linger.ms", " 20 ", "batch.size", 32768L, "buffer.memory", 1024,
                    "retries", "3", "max.block.ms", 5.0d);
            assertThat(s.lingerMs()).isEqualTo(20);
            assertThat(s.batchSize()).isEqualTo(32768);
            assertThat(s.bufferMemory()).isEqualTo(1024);
            assertThat(s.retries()).isEqualTo(3);
            assertThat(s.maxBlockMs()).isEqualTo(5);
        }

        @Test
        void aDurationWithAUnitIsRejectedWithAHint() {
            ConfigException e = rejection("linger.ms", "5ms");
            assertThat(e.key()).isEqualTo("linger.ms");
            assertThat(e.value()).isEqualTo("5ms");
            assertThat(e).hasMessage("Invalid value 5ms for configuration linger.ms: must be a whole number, "
                    + "must be at least 0 (plain digits only: units such as \"ms\" or \"s\" are not accepted)");
        }

        @Test
        void textThatIsNotANumberIsRejected() {
            assertThat(rejection("batch.size", "abc"))
                    .hasMessage("Invalid value abc for configuration batch.size: must be a whole number, "
                            + "must be between 0 and 2147483647");
        }

        @Test
        void aFractionalNumberIsRejected() {
            assertThat(rejection("linger.ms", 2.5d)).hasMessageContaining("Invalid value 2.5 for configuration linger.ms")
                    .hasMessageContaining("whole number");
        }

        @Test
        void anIntSettingBeyondTheIntRangeIsRejected() {
            assertThat(rejection("batch.size", "3000000000"))
                    .hasMessage("Invalid value 3000000000 for configuration batch.size: must be between 0 and 2147483647");
        }

        @Test
        void booleansAcceptTrueAndFalseInAnyCaseOnly() {
            assertThat(settings("partitioner.ignore.keys", "TRUE").partitionerIgnoreKeys()).isTrue();
            assertThat(settings("partitioner.ignore.keys", true).partitionerIgnoreKeys()).isTrue();
            assertThat(settings("allow.auto.create.topics", "false").allowAutoCreateTopics()).isFalse();
            assertThat(rejection("allow.auto.create.topics", "yes"))
                    .hasMessage("Invalid value yes for configuration allow.auto.create.topics: must be true or false");
            assertThat(rejection("partitioner.ignore.keys", 1))
                    .hasMessage("Invalid value 1 for configuration partitioner.ignore.keys: must be true or false");
        }

        @Test
        void aKeyMappedToNullTakesItsDefault() {
            assertThat(settings("linger.ms", null).lingerMs()).isEqualTo(5);
        }

        @Test
        void saslAndSslKeysThatTheSecurityProtocolLeavesUnusedAreNamed() {
            Map<String, Object> originals = Map.of("sasl.mechanism", "PLAIN", "sasl.jaas.config", "secret",
                    "ssl.truststore.location", "/tmp/t", "linger.ms", 5);
            assertThat(ProducerSettings.securityKeysUnused(originals, "PLAINTEXT"))
                    .containsExactly("sasl.jaas.config", "sasl.mechanism", "ssl.truststore.location");
            assertThat(ProducerSettings.securityKeysUnused(originals, "SSL"))
                    .containsExactly("sasl.jaas.config", "sasl.mechanism");
            assertThat(ProducerSettings.securityKeysUnused(originals, "SASL_PLAINTEXT"))
                    .containsExactly("ssl.truststore.location");
            assertThat(ProducerSettings.securityKeysUnused(originals, "SASL_SSL")).isEmpty();
        }

        @Test
        void unknownKeysAreKeptInTheOriginals() {
            ProducerSettings s = settings("my.plugin.setting", "x", "ssl.truststore.location", "/tmp/t");
            assertThat(s.originals()).containsEntry("my.plugin.setting", "x")
                    .containsEntry("ssl.truststore.location", "/tmp/t")
                    .containsEntry("bootstrap.servers", "localhost:9092");
            assertThatThrownBy(() -> s.originals().put("a", "b")).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void propertiesIncludingTheirDefaultsAreRead() {
            Properties defaults = new Properties();
            defaults.setProperty("bootstrap.servers", "broker:9092");
            Properties props = new Properties(defaults);
            props.setProperty("acks", "1");
            props.put("linger.ms", 7);
            ProducerSettings s = ProducerSettings.from(props);
            assertThat(s.bootstrapServers()).containsExactly("broker:9092");
            assertThat(s.acks()).isEqualTo((short) 1);
            assertThat(s.lingerMs()).isEqualTo(7);
        }

        @Test
        void pluginSettingsAreKeptAsGiven() {
            StringSerializer instance = new StringSerializer();
            ProducerSettings s = settings("key.serializer", StringSerializer.class, "value.serializer", instance,
                    "partitioner.class", "com.example.MyPartitioner",
                    "interceptor.classes", " com.example.A, ,com.example.B ");
            assertThat(s.keySerializer()).isEqualTo(StringSerializer.class);
            assertThat(s.valueSerializer()).isSameAs(instance);
            assertThat(s.partitionerClass()).isEqualTo("com.example.MyPartitioner");
            assertThat(s.interceptorClasses()).containsExactly("com.example.A", "com.example.B");
            assertThat(settings("interceptor.classes", List.of(StringSerializer.class, "x.Y")).interceptorClasses())
                    .containsExactly(StringSerializer.class, "x.Y");
        }
    }

    @Nested
    class Ranges {

        @ParameterizedTest(name = "{0}={1}")
        @CsvSource({
            "linger.ms, -1, must be at least 0",
            "batch.size, -1, must be between 0 and 2147483647",
            "buffer.memory, -1, must be at least 0",
            "retries, -1, must be between 0 and 2147483647",
            "max.in.flight.requests.per.connection, 0, must be between 1 and 2147483647",
            "max.request.size, -1, must be between 0 and 2147483647",
            "metadata.max.idle.ms, 4999, must be at least 5000",
            "metadata.max.age.ms, -1, must be at least 0",
            "send.buffer.bytes, -2, must be between -1 and 2147483647",
            "receive.buffer.bytes, -2, must be between -1 and 2147483647",
            "request.timeout.ms, -1, must be between 0 and 2147483647",
            "delivery.timeout.ms, -1, must be between 0 and 2147483647",
            "max.block.ms, -1, must be at least 0",
            "retry.backoff.ms, -1, must be at least 0",
            "retry.backoff.max.ms, -1, must be at least 0",
            "reconnect.backoff.ms, -1, must be at least 0",
            "reconnect.backoff.max.ms, -1, must be at least 0",
            "partitioner.availability.timeout.ms, -1, must be at least 0",
            "compression.lz4.level, 18, must be between 1 and 17",
            "compression.lz4.level, 0, must be between 1 and 17",
            "compression.zstd.level, 23, must be between -131072 and 22",
            "compression.zstd.level, -131073, must be between -131072 and 22",
            "compression.gzip.level, 0, must be -1 (the codec's default) or between 1 and 9",
            "compression.gzip.level, 10, must be -1 (the codec's default) or between 1 and 9",
        })
        void aValueOutOfRangeIsRejectedLikeKafkaDoes(String key, String value, String allowed) {
            assertThat(rejection(key, value))
                    .hasMessage("Invalid value " + value + " for configuration " + key + ": " + allowed);
            assertThatThrownBy(() -> kafkaParse(key, value))
                    .isInstanceOf(org.apache.kafka.common.config.ConfigException.class);
        }

        @ParameterizedTest(name = "{0}={1}")
        @CsvSource({
            "linger.ms, 0", "batch.size, 0", "buffer.memory, 0", "retries, 0", "retries, 2147483647",
            "max.in.flight.requests.per.connection, 1", "metadata.max.idle.ms, 5000", "send.buffer.bytes, -1",
            "receive.buffer.bytes, -1", "compression.gzip.level, -1", "compression.gzip.level, 9",
            "compression.lz4.level, 17", "compression.zstd.level, -131072", "compression.zstd.level, 22",
            "max.request.size, 0", "connections.max.idle.ms, -1",
        })
        void aBoundaryValueKafkaAcceptsIsAccepted(String key, String value) {
            assertThatCode(() -> kafkaParse(key, value)).doesNotThrowAnyException();
            assertThatCode(() -> settings(key, value)).doesNotThrowAnyException();
        }

        private void kafkaParse(String key, String value) {
            Map<String, Object> props = new HashMap<>();
            props.put("bootstrap.servers", "localhost:9092");
            props.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
            props.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
            props.put(key, value);
            ConfigDef def = org.apache.kafka.clients.producer.ProducerConfig.configDef();
            def.parse(props);
        }

        @Test
        void compressionLevelsApplyToTheChosenCodec() {
            assertThat(settings("compression.type", "gzip", "compression.gzip.level", "6").compressionLevel()).isEqualTo(6);
            assertThat(settings("compression.type", "lz4", "compression.lz4.level", 17).compressionLevel()).isEqualTo(17);
            assertThat(settings("compression.type", "zstd", "compression.zstd.level", "-5").compressionLevel()).isEqualTo(-5);
        }
    }

    @Nested
    class Acks {

        @ParameterizedTest
        @CsvSource({"all, -1", "ALL, -1", "-1, -1", "0, 0", "1, 1"})
        void acksAcceptsAllMinusOneZeroAndOne(String given, short expected) {
            assertThat(settings("acks", given).acks()).isEqualTo(expected);
        }

        @Test
        void acksAcceptsNumbers() {
            assertThat(settings("acks", 1).acks()).isEqualTo((short) 1);
            assertThat(settings("acks", -1).acks()).isEqualTo((short) -1);
        }

        @Test
        void anyOtherAcksValueIsRejected() {
            ConfigException e = rejection("acks", 2);
            assertThat(e).hasMessage("Invalid value 2 for configuration acks: must be one of all, -1, 0, 1");
            assertThat(e.key()).isEqualTo("acks");
            assertThat(e.value()).isEqualTo(2);
        }
    }

    @Nested
    class Bootstrap {

        @Test
        void aMissingBootstrapServersIsAnError() {
            Map<String, Object> config = new HashMap<>();
            assertThatThrownBy(() -> ProducerSettings.from(config))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("Invalid value null for configuration bootstrap.servers: must be a non-empty list of "
                            + "host:port entries with a port between 1 and 65535 (the setting is required)");
        }

        @Test
        void anEmptyBootstrapServersIsAnError() {
            assertThat(rejection("bootstrap.servers", " , ")).hasMessageContaining("the setting is required");
        }

        @Test
        void entriesAreSplitTrimmedAndKeptInOrder() {
            assertThat(settings("bootstrap.servers", " b1:9092 , b2:9093,[::1]:9094, fe80::1:9095").bootstrapServers())
                    .containsExactly("b1:9092", "b2:9093", "[::1]:9094", "fe80::1:9095");
            assertThat(settings("bootstrap.servers", List.of("b1:1", "b2:65535")).bootstrapServers())
                    .containsExactly("b1:1", "b2:65535");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "broker|the port is missing",
            "broker:|the port is missing",
            ":9092|the host is empty or contains illegal characters",
            "bro ker:9092|the host is empty or contains illegal characters",
            "broker:0|bad port 0",
            "broker:65536|bad port 65536",
            "broker:90x|bad port 90x",
        })
        void aMalformedEntryIsRejectedWithTheReason(String entry, String reason) {
            assertThat(rejection("bootstrap.servers", "ok:9092," + entry))
                    .hasMessage("Invalid value " + entry + " for configuration bootstrap.servers: must be a non-empty list "
                            + "of host:port entries with a port between 1 and 65535; " + reason);
        }
    }

    @Nested
    class Constraints {

        @Test
        void aDefaultDeliveryTimeoutIsRaisedToLingerPlusRequestTimeout() {
            ProducerSettings s = settings("linger.ms", "1000", "request.timeout.ms", "125000");
            assertThat(s.deliveryTimeoutMs()).isEqualTo(126_000);
        }

        @Test
        void anExplicitDeliveryTimeoutBelowLingerPlusRequestTimeoutIsAnError() {
            ConfigException e = rejection("linger.ms", "1000", "request.timeout.ms", "30000", "delivery.timeout.ms", "30999");
            assertThat(e).hasMessage("Invalid value 30999 for configuration delivery.timeout.ms: "
                    + "must be at least linger.ms + request.timeout.ms = 31000");
            assertThat(e.key()).isEqualTo("delivery.timeout.ms");
        }

        @Test
        void anExplicitDeliveryTimeoutEqualToLingerPlusRequestTimeoutIsKept() {
            assertThat(settings("linger.ms", 1000, "request.timeout.ms", 30000, "delivery.timeout.ms", 31000)
                    .deliveryTimeoutMs()).isEqualTo(31000);
        }

        @Test
        void aDefaultBackoffCeilingFollowsALargerBase() {
            ProducerSettings s = settings("retry.backoff.ms", 5000, "reconnect.backoff.ms", 2000,
                    "socket.connection.setup.timeout.ms", 40000);
            assertThat(s.retryBackoffMaxMs()).isEqualTo(5000);
            assertThat(s.reconnectBackoffMaxMs()).isEqualTo(2000);
            assertThat(s.socketConnectionSetupTimeoutMaxMs()).isEqualTo(40000);
        }

        @Test
        void anExplicitBackoffCeilingBelowItsBaseIsKept() {
            assertThat(settings("retry.backoff.ms", 5000, "retry.backoff.max.ms", 200).retryBackoffMaxMs()).isEqualTo(200);
        }

        @Test
        void idempotenceCanBeTurnedOnOrOffExplicitly() {
            assertThat(settings("enable.idempotence", true).enableIdempotence()).isTrue();
            assertThat(settings("enable.idempotence", false).enableIdempotence()).isFalse();
        }

        @Test
        void idempotenceDroppedByAcksAllowsManyInFlightRequests() {
            assertThat(settings("max.in.flight.requests.per.connection", 10, "acks", "1", "retries", 0)
                    .enableIdempotence()).isFalse();
        }

        @Test
        void aTransactionalIdMakesTheProducerIdempotentWithKafkasTransactionTimeoutByDefault() {
            ProducerSettings transactional = settings("transactional.id", "tx-1");
            assertThat(transactional.transactionalId()).isEqualTo("tx-1");
            assertThat(transactional.enableIdempotence()).isTrue();
            assertThat(transactional.transactionTimeoutMs()).isEqualTo(60_000);
            assertThat(settings("transactional.id", "tx-1", "transaction.timeout.ms", "5000").transactionTimeoutMs())
                    .isEqualTo(5000);
        }

        @Test
        void aTransactionalIdWithoutIdempotenceOrAcksAllIsRefused() {
            assertThat(rejection("transactional.id", "tx-1", "enable.idempotence", "false"))
                    .hasMessageContaining("enable.idempotence").hasMessageContaining("transactional");
            assertThat(rejection("transactional.id", "tx-1", "acks", "1"))
                    .hasMessageContaining("acks").hasMessageContaining("acks=all");
            assertThat(rejection("transactional.id", " "))
                    .hasMessageContaining("transactional.id").hasMessageContaining("non-empty");
            assertThat(rejection("transactional.id", "tx-1", "transaction.timeout.ms", "0"))
                    .hasMessageContaining("transaction.timeout.ms");
        }

        @ParameterizedTest
        @ValueSource(strings = {"bogus", "SSL_SASL"})
        void anUnknownProtocolIsRefused(String protocol) {
            assertThat(rejection("security.protocol", protocol))
                    .hasMessage("Invalid value " + protocol + " for configuration security.protocol: must be "
                            + "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL");
        }

        @Test
        void saslSslCarriesBothATlsContextAndTheSaslSettings() {
            ProducerSettings settings = settings("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN",
                    "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                            + "username=\"u\" password=\"p\";");
            assertThat(settings.sslFactory()).isNotNull();
            assertThat(settings.sasl()).isNotNull();
        }

        @Test
        void saslPlaintextCarriesNoTlsContext() {
            ProducerSettings settings = settings("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                    "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                            + "username=\"u\" password=\"p\";");
            assertThat(settings.sslFactory()).isNull();
            assertThat(settings.sasl()).isNotNull();
        }

        @Test
        void sslIsAcceptedAndBuildsATlsContextFromTheJdkDefaults() {
            ProducerSettings settings = settings("security.protocol", "ssl");
            assertThat(settings.securityProtocol()).isEqualTo("SSL");
            assertThat(settings.sslFactory()).isNotNull();
        }

        @Test
        void plaintextCarriesNoTlsContextAndIgnoresTheSslKeys() {
            assertThat(settings("security.protocol", "PLAINTEXT", "ssl.truststore.location", "/no/such/file.jks")
                    .sslFactory()).isNull();
        }

        @Test
        void withSslABadSslSettingFailsConstructionNamingItsKey() {
            assertThat(rejection("security.protocol", "SSL", "ssl.truststore.location", "/no/such/file.jks").key())
                    .isEqualTo("ssl.truststore.location");
        }

        @Test
        void plaintextIsAcceptedInAnyCase() {
            assertThat(settings("security.protocol", "plaintext").securityProtocol()).isEqualTo("PLAINTEXT");
        }
    }

    @Nested
    class IdempotenceRules {

        @Test
        void idempotenceCompatibleWithTheOtherSettingsIsOn() {
            assertThat(ProducerSettings.validateIdempotence(null, (short) -1, 5, 5)).isTrue();
            assertThat(ProducerSettings.validateIdempotence(true, (short) -1, 1, 1)).isTrue();
        }

        @Test
        void explicitIdempotenceConflictingWithAcksOrRetriesIsAnError() {
            assertThatThrownBy(() -> ProducerSettings.validateIdempotence(true, (short) 1, 5, 5))
                    .hasMessage("Invalid value true for configuration enable.idempotence: idempotence conflicts with "
                            + "acks=1 (needs all)");
            assertThatThrownBy(() -> ProducerSettings.validateIdempotence(true, (short) 0, 0, 5))
                    .hasMessage("Invalid value true for configuration enable.idempotence: idempotence conflicts with "
                            + "acks=0 (needs all) and retries=0 (needs at least 1)");
        }

        @Test
        void defaultIdempotenceConflictingWithAcksOrRetriesIsQuietlyDropped() {
            assertThat(ProducerSettings.validateIdempotence(null, (short) 1, 5, 5)).isFalse();
            assertThat(ProducerSettings.validateIdempotence(null, (short) -1, 0, 5)).isFalse();
        }

        @Test
        void moreThanFiveInFlightRequestsConflictEvenWithDefaultIdempotence() {
            assertThatThrownBy(() -> ProducerSettings.validateIdempotence(null, (short) -1, 5, 6))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("Invalid value 6 for configuration max.in.flight.requests.per.connection: "
                            + "must be at most 5 while idempotence is enabled");
        }

        @Test
        void disabledIdempotenceHasNoConstraints() {
            assertThat(ProducerSettings.validateIdempotence(false, (short) 0, 0, 100)).isFalse();
        }
    }

    @Nested
    class Compression {

        @Test
        void theTypeIsLowerCased() {
            assertThat(settings("compression.type", "GZIP").compressionType()).isEqualTo("gzip");
        }

        @Test
        void anUnknownTypeIsRejected() {
            assertThat(rejection("compression.type", "brotli"))
                    .hasMessage("Invalid value brotli for configuration compression.type: "
                            + "must be one of none, gzip, snappy, lz4, zstd");
        }

        @Test
        void snappyAndZstdAreAcceptedWhenTheirLibrariesArePresent() {
            assertThat(settings("compression.type", "snappy").compressionType()).isEqualTo("snappy");
            assertThat(settings("compression.type", "zstd").compressionType()).isEqualTo("zstd");
        }

        @Test
        void snappyWithoutItsLibraryNamesTheMavenCoordinates() {
            assertThatThrownBy(() -> ProducerSettings.from(config("compression.type", "snappy"), name -> false))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("Invalid value snappy for configuration compression.type: snappy needs the optional "
                            + "library org.xerial.snappy:snappy-java on the classpath; add that dependency");
        }

        @Test
        void zstdWithoutItsLibraryNamesTheMavenCoordinates() {
            assertThatThrownBy(() -> ProducerSettings.from(config("compression.type", "zstd"), name -> false))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("Invalid value zstd for configuration compression.type: zstd needs the optional "
                            + "library com.github.luben:zstd-jni on the classpath; add that dependency");
        }

        @Test
        void theLibraryCheckLooksForTheCodecEntryClasses() {
            List<String> asked = new java.util.ArrayList<>();
            ProducerSettings.from(config("compression.type", "snappy"), name -> asked.add(name));
            ProducerSettings.from(config("compression.type", "zstd"), name -> asked.add(name));
            assertThat(asked).containsExactly("org.xerial.snappy.Snappy", "com.github.luben.zstd.Zstd");
        }
    }
}
