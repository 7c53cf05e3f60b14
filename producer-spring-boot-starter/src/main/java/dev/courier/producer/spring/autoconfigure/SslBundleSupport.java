package dev.courier.producer.spring.autoconfigure;

import dev.courier.producer.ProducerConfig;
import dev.courier.producer.errors.ConfigException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;

/**
 * Applies the SSL bundle named by the connection details to the engine configuration: an
 * {@link SslBundleContextProvider} under {@link ProducerConfig#SSL_CONTEXT_PROVIDER}, SSL as the security protocol
 * when nothing set one, and the bundle's enabled protocols and ciphers unless raw keys set them. Raw keys with trust
 * or key material ({@code ssl.truststore.location}, ...) win over the bundle, which is then not applied.
 */
final class SslBundleSupport {

    static final String PROPERTY = CourierProducerProperties.PREFIX + ".ssl.bundle";

    private static final Logger log = LoggerFactory.getLogger(SslBundleSupport.class);

    /** Raw keys that carry trust or key material; when any is set, it wins over the bundle. */
    private static final List<String> MATERIAL_KEYS = List.of(ProducerConfig.SSL_TRUSTSTORE_LOCATION,
            ProducerConfig.SSL_TRUSTSTORE_CERTIFICATES, ProducerConfig.SSL_KEYSTORE_LOCATION,
            ProducerConfig.SSL_KEYSTORE_KEY);

    private SslBundleSupport() {
    }

    static void apply(CourierConnectionDetails details, Supplier<SslBundles> bundles, Map<String, Object> config) {
        String name = details.getSslBundleName();
        if (name == null || name.isBlank()) {
            return;
        }
        List<String> rawMaterial = MATERIAL_KEYS.stream().filter(config::containsKey).toList();
        if (!rawMaterial.isEmpty()) {
            log.warn("SSL bundle '{}' is not applied: {} set the TLS trust and key material, and raw keys win", name,
                    rawMaterial);
            return;
        }
        String property = details instanceof PropertiesCourierConnectionDetails ? PROPERTY : null;
        SslBundles registry = bundles.get();
        if (registry == null) {
            throw failure(property, name, "needs Spring Boot's SSL bundles (spring.ssl.bundle.*), but the "
                    + "application context has no SslBundles bean");
        }
        SslBundleContextProvider provider;
        SslBundle bundle;
        try {
            bundle = registry.getBundle(name);
            provider = new SslBundleContextProvider(registry, name);
        } catch (NoSuchSslBundleException e) {
            throw failure(property, name, "names no SSL bundle; defined bundles: " + registry.getBundleNames()
                    + " (define one under spring.ssl.bundle.jks." + name + ".* or spring.ssl.bundle.pem." + name
                    + ".*)");
        }
        config.put(ProducerConfig.SSL_CONTEXT_PROVIDER, provider);
        config.putIfAbsent(ProducerConfig.SECURITY_PROTOCOL, "SSL");
        SslOptions options = bundle.getOptions();
        if (options != null && options.getEnabledProtocols() != null) {
            config.putIfAbsent(ProducerConfig.SSL_ENABLED_PROTOCOLS, String.join(",", options.getEnabledProtocols()));
        }
        if (options != null && options.getCiphers() != null) {
            config.putIfAbsent(ProducerConfig.SSL_CIPHER_SUITES, String.join(",", options.getCiphers()));
        }
    }

    private static InvalidProducerConfigurationException failure(String property, String name, String reason) {
        return new InvalidProducerConfigurationException(property, null, name, reason, false,
                new ConfigException("SSL bundle '" + name + "' " + reason));
    }
}
