package dev.courier.producer.internals.config;

import static dev.courier.producer.ProducerConfig.SASL_JAAS_CONFIG;
import static dev.courier.producer.ProducerConfig.SASL_KERBEROS_SERVICE_NAME;
import static dev.courier.producer.ProducerConfig.SASL_LOGIN_CONNECT_TIMEOUT_MS;
import static dev.courier.producer.ProducerConfig.SASL_LOGIN_READ_TIMEOUT_MS;
import static dev.courier.producer.ProducerConfig.SASL_MECHANISM;
import static dev.courier.producer.ProducerConfig.SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL;
import static dev.courier.producer.ProducerConfig.SECURITY_PROTOCOL;

import dev.courier.producer.errors.ConfigException;
import dev.courier.producer.internals.security.SaslSettings;
import dev.courier.producer.internals.security.SslFactory;
import dev.courier.producer.internals.security.SslSettings;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The connections' security: security.protocol and what it calls for, a TLS context from the ssl.* keys (SSL,
 * SASL_SSL) and the SASL settings from the sasl.* keys (SASL_PLAINTEXT, SASL_SSL). Parsed together because the
 * protocol decides which of the others are read at all. The secrets they carry (key store passwords, JAAS lines)
 * stay inside {@link SslSettings} and {@link SaslSettings}, which keep them out of messages.
 *
 * <p>Immutable; built once, on the thread that builds the {@link ProducerSettings}, which owns it and exposes
 * its parts.
 */
final class SecuritySettings {

    /** PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, upper case. */
    final String protocol;
    /** Null unless security.protocol is SSL (or SASL_SSL). */
    final SslFactory sslFactory;
    /** Null unless security.protocol is SASL_PLAINTEXT or SASL_SSL. */
    final SaslSettings sasl;

    private SecuritySettings(String protocol, SslFactory sslFactory, SaslSettings sasl) {
        this.protocol = protocol;
        this.sslFactory = sslFactory;
        this.sasl = sasl;
    }

    /**
     * @param originals the whole configuration, which {@link SslSettings} reads the ssl.* keys from
     * @throws ConfigException for an unknown protocol, or a bad ssl.* or sasl.* value the protocol needs
     */
    static SecuritySettings parse(ConfigValues v, Map<String, Object> originals) {
        String protocol = parseProtocol(v);
        SslFactory sslFactory = protocol.endsWith("SSL") ? SslFactory.create(SslSettings.from(originals),
                SslFactory.contextProvider(originals)) : null;
        SaslSettings sasl = protocol.startsWith("SASL_") ? SaslSettings.parse(v.rawValue(SASL_MECHANISM),
                v.rawValue(SASL_JAAS_CONFIG), v.rawValue(SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL))
                .withLoginTimeouts(v.longAtLeast(SASL_LOGIN_CONNECT_TIMEOUT_MS, 10_000L, 1),
                        v.longAtLeast(SASL_LOGIN_READ_TIMEOUT_MS, 10_000L, 1))
                .withKerberosServiceName(v.rawValue(SASL_KERBEROS_SERVICE_NAME)) : null;
        return new SecuritySettings(protocol, sslFactory, sasl);
    }

    private static String parseProtocol(ConfigValues v) {
        String protocol = v.string(SECURITY_PROTOCOL, "PLAINTEXT").toUpperCase(Locale.ROOT);
        if (!List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL").contains(protocol)) {
            throw new ConfigException(SECURITY_PROTOCOL, v.rawValue(SECURITY_PROTOCOL),
                    "must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL");
        }
        return protocol;
    }
}
