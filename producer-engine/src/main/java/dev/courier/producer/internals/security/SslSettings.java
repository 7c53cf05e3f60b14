package dev.courier.producer.internals.security;

import static dev.courier.producer.ProducerConfig.SSL_CIPHER_SUITES;
import static dev.courier.producer.ProducerConfig.SSL_ENABLED_PROTOCOLS;
import static dev.courier.producer.ProducerConfig.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM;
import static dev.courier.producer.ProducerConfig.SSL_KEYSTORE_CERTIFICATE_CHAIN;
import static dev.courier.producer.ProducerConfig.SSL_KEYSTORE_KEY;
import static dev.courier.producer.ProducerConfig.SSL_KEYSTORE_LOCATION;
import static dev.courier.producer.ProducerConfig.SSL_KEYSTORE_PASSWORD;
import static dev.courier.producer.ProducerConfig.SSL_KEYSTORE_TYPE;
import static dev.courier.producer.ProducerConfig.SSL_KEY_PASSWORD;
import static dev.courier.producer.ProducerConfig.SSL_PROTOCOL;
import static dev.courier.producer.ProducerConfig.SSL_TRUSTSTORE_CERTIFICATES;
import static dev.courier.producer.ProducerConfig.SSL_TRUSTSTORE_LOCATION;
import static dev.courier.producer.ProducerConfig.SSL_TRUSTSTORE_PASSWORD;
import static dev.courier.producer.ProducerConfig.SSL_TRUSTSTORE_TYPE;

import dev.courier.producer.errors.ConfigException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code ssl.*} keys, read from the raw configuration with kafka-clients' names and defaults. Secrets are
 * held as {@link Password}s, and no exception thrown here ever shows a secret's value.
 *
 * @param truststoreLocation null for the JDK's default trust store (cacerts)
 * @param keystoreLocation   null for no client certificate (unless inline PEM is given)
 * @param endpointIdentificationAlgorithm {@code https} by default; empty turns hostname verification off
 */
public record SslSettings(String protocol, List<String> enabledProtocols, List<String> cipherSuites,
                          String truststoreType, String truststoreLocation, Password truststorePassword,
                          String truststoreCertificates, String keystoreType, String keystoreLocation,
                          Password keystorePassword, String keystoreCertificateChain, Password keystoreKey,
                          Password keyPassword, String endpointIdentificationAlgorithm) {

    /** Every key this record reads, so that none of them is reported as unknown. */
    public static final Set<String> KEYS = Set.of(SSL_PROTOCOL, SSL_ENABLED_PROTOCOLS, SSL_CIPHER_SUITES,
            SSL_TRUSTSTORE_TYPE, SSL_TRUSTSTORE_LOCATION, SSL_TRUSTSTORE_PASSWORD, SSL_TRUSTSTORE_CERTIFICATES,
            SSL_KEYSTORE_TYPE, SSL_KEYSTORE_LOCATION, SSL_KEYSTORE_PASSWORD, SSL_KEYSTORE_CERTIFICATE_CHAIN,
            SSL_KEYSTORE_KEY, SSL_KEY_PASSWORD, SSL_ENDPOINT_IDENTIFICATION_ALGORITHM);

    static final String PEM = "PEM";

    /** Reads and checks the keys; the files and PEM text are loaded later, by {@link SslFactory#create}. */
    public static SslSettings from(Map<String, ?> raw) {
        SslSettings settings = new SslSettings(
                string(raw, SSL_PROTOCOL, "TLSv1.3"),
                list(raw, SSL_ENABLED_PROTOCOLS, List.of("TLSv1.2", "TLSv1.3")),
                list(raw, SSL_CIPHER_SUITES, List.of()),
                string(raw, SSL_TRUSTSTORE_TYPE, "JKS").toUpperCase(Locale.ROOT),
                emptyToNull(string(raw, SSL_TRUSTSTORE_LOCATION, null)),
                secret(raw, SSL_TRUSTSTORE_PASSWORD),
                emptyToNull(string(raw, SSL_TRUSTSTORE_CERTIFICATES, null)),
                string(raw, SSL_KEYSTORE_TYPE, "JKS").toUpperCase(Locale.ROOT),
                emptyToNull(string(raw, SSL_KEYSTORE_LOCATION, null)),
                secret(raw, SSL_KEYSTORE_PASSWORD),
                emptyToNull(string(raw, SSL_KEYSTORE_CERTIFICATE_CHAIN, null)),
                secret(raw, SSL_KEYSTORE_KEY),
                secret(raw, SSL_KEY_PASSWORD),
                string(raw, SSL_ENDPOINT_IDENTIFICATION_ALGORITHM, "https"));
        settings.validate();
        return settings;
    }

    /** Rules across keys, as kafka-clients applies them. */
    private void validate() {
        if (truststoreCertificates != null) {
            if (!truststoreType.equals(PEM)) {
                throw new ConfigException(SSL_TRUSTSTORE_TYPE, truststoreType,
                        "ssl.truststore.certificates requires ssl.truststore.type=PEM");
            }
            if (truststoreLocation != null) {
                throw new ConfigException("Set either ssl.truststore.certificates or ssl.truststore.location, "
                        + "not both");
            }
        }
        if (truststoreType.equals(PEM) && truststorePassword != null) {
            throw new ConfigException("ssl.truststore.password is not allowed with ssl.truststore.type=PEM");
        }
        boolean inlineKey = keystoreKey != null || keystoreCertificateChain != null;
        if (inlineKey) {
            if (!keystoreType.equals(PEM)) {
                throw new ConfigException(SSL_KEYSTORE_TYPE, keystoreType,
                        "ssl.keystore.key and ssl.keystore.certificate.chain require ssl.keystore.type=PEM");
            }
            if (keystoreKey == null || keystoreCertificateChain == null) {
                throw new ConfigException("Inline PEM key material needs both ssl.keystore.key and "
                        + "ssl.keystore.certificate.chain");
            }
            if (keystoreLocation != null) {
                throw new ConfigException("Set either ssl.keystore.key with ssl.keystore.certificate.chain, or "
                        + "ssl.keystore.location, not both");
            }
        }
        if (keystoreType.equals(PEM) && keystorePassword != null) {
            throw new ConfigException("ssl.keystore.password is not allowed with ssl.keystore.type=PEM; "
                    + "an encrypted key's password goes in ssl.key.password");
        }
        if (enabledProtocols.isEmpty()) {
            throw new ConfigException(SSL_ENABLED_PROTOCOLS, "", "at least one protocol, e.g. TLSv1.2,TLSv1.3");
        }
    }

    /** True when a client certificate is configured (a keystore file or inline PEM). */
    public boolean hasKeystore() {
        return keystoreLocation != null || keystoreKey != null;
    }

    /** True when hostname verification is on. */
    public boolean verifiesHostname() {
        return !endpointIdentificationAlgorithm.isEmpty();
    }

    private static String string(Map<String, ?> raw, String key, String defaultValue) {
        Object value = raw.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof String s) {
            return s.trim();
        }
        throw new ConfigException(key, value, "must be a string");
    }

    private static List<String> list(Map<String, ?> raw, String key, List<String> defaultValue) {
        Object value = raw.get(key);
        if (value == null) {
            return defaultValue;
        }
        List<String> out = new ArrayList<>();
        if (value instanceof String s) {
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        } else if (value instanceof Collection<?> collection) {
            for (Object element : collection) {
                if (element != null && !element.toString().isBlank()) {
                    out.add(element.toString().trim());
                }
            }
        } else {
            throw new ConfigException(key, value, "must be a comma-separated list");
        }
        return List.copyOf(out);
    }

    /** A secret: a String (or char[]); anything else is refused without printing it. */
    private static Password secret(Map<String, ?> raw, String key) {
        Object value = raw.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return s.isEmpty() ? null : new Password(s);
        }
        if (value instanceof char[] chars) {
            return chars.length == 0 ? null : new Password(new String(chars));
        }
        if (value instanceof Password p) {
            return p;
        }
        throw new ConfigException("Invalid value for configuration " + key + ": must be a string (value hidden)");
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
