package dev.courier.producer.internals.security;

import static dev.courier.producer.ProducerConfig.SSL_CIPHER_SUITES;
import static dev.courier.producer.ProducerConfig.SSL_ENABLED_PROTOCOLS;
import static dev.courier.producer.ProducerConfig.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM;
import static dev.courier.producer.ProducerConfig.SSL_KEYSTORE_LOCATION;
import static dev.courier.producer.ProducerConfig.SSL_KEYSTORE_TYPE;
import static dev.courier.producer.ProducerConfig.SSL_PROTOCOL;
import static dev.courier.producer.ProducerConfig.SSL_TRUSTSTORE_LOCATION;
import static dev.courier.producer.ProducerConfig.SSL_TRUSTSTORE_TYPE;

import dev.courier.producer.ProducerConfig;
import dev.courier.producer.SslContextProvider;
import dev.courier.producer.errors.ConfigException;
import dev.courier.producer.internals.security.PemParser.PemException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the client's {@link SSLContext} once, from {@link SslSettings} (JKS, PKCS12 or PEM files, or inline PEM),
 * and makes a client-mode {@link SSLEngine} per connection, with hostname verification against the host the client
 * dialled. Everything that can be wrong with the settings is found at construction and reported as a
 * {@link ConfigException} naming the key, never a password or key material.
 *
 * <p>With a {@link SslContextProvider} ({@link ProducerConfig#SSL_CONTEXT_PROVIDER}) the context comes from the
 * provider instead, asked again for every engine so that rotated certificates reach new connections; the
 * protocol, cipher suite and hostname verification settings apply either way.
 *
 * <p>Thread-safe once built.
 */
public final class SslFactory {

    private static final Logger log = LoggerFactory.getLogger(SslFactory.class);

    /** The provider, or null when the context is built from the ssl.* keys once. */
    private final SslContextProvider provider;
    /** The context built from the keys, or the provider's latest good answer. */
    private volatile SSLContext context;
    private final String[] enabledProtocols;
    private final String[] cipherSuites;
    private final String endpointIdentificationAlgorithm;

    private SslFactory(SslContextProvider provider, SSLContext context, String[] enabledProtocols,
                       String[] cipherSuites, String endpointIdentificationAlgorithm) {
        this.provider = provider;
        this.context = context;
        this.enabledProtocols = enabledProtocols;
        this.cipherSuites = cipherSuites;
        this.endpointIdentificationAlgorithm = endpointIdentificationAlgorithm;
    }

    /** Loads the trust and key material and checks that the protocols and cipher suites exist. */
    public static SslFactory create(SslSettings settings) {
        return create(settings, null);
    }

    /**
     * As {@link #create(SslSettings)}, but with the context from {@code provider} when it is not null (the
     * trust and key material keys are then not read).
     */
    public static SslFactory create(SslSettings settings, SslContextProvider provider) {
        SSLContext context = provider == null ? contextFromKeys(settings) : firstContext(provider);
        SSLEngine probe = context.createSSLEngine();
        String[] protocols = checkSupported(SSL_ENABLED_PROTOCOLS, settings.enabledProtocols(),
                probe.getSupportedProtocols());
        String[] suites = settings.cipherSuites().isEmpty() ? null
                : checkSupported(SSL_CIPHER_SUITES, settings.cipherSuites(), probe.getSupportedCipherSuites());
        String algorithm = settings.endpointIdentificationAlgorithm();
        if (!algorithm.isEmpty() && !algorithm.equalsIgnoreCase("https") && !algorithm.equalsIgnoreCase("ldaps")) {
            throw new ConfigException(SSL_ENDPOINT_IDENTIFICATION_ALGORITHM, algorithm, "https, or empty to turn "
                    + "hostname verification off");
        }
        return new SslFactory(provider, context, protocols, suites,
                algorithm.isEmpty() ? null : algorithm.toUpperCase(Locale.ROOT));
    }

    /** The {@link ProducerConfig#SSL_CONTEXT_PROVIDER} object in {@code config}, or null when there is none. */
    public static SslContextProvider contextProvider(Map<String, ?> config) {
        Object value = config.get(ProducerConfig.SSL_CONTEXT_PROVIDER);
        if (value == null || value instanceof SslContextProvider) {
            return (SslContextProvider) value;
        }
        throw new ConfigException(ProducerConfig.SSL_CONTEXT_PROVIDER, value.getClass().getName(),
                "an instance of " + SslContextProvider.class.getName());
    }

    private static SSLContext firstContext(SslContextProvider provider) {
        SSLContext context;
        try {
            context = provider.sslContext();
        } catch (RuntimeException e) {
            throw new ConfigException("The " + ProducerConfig.SSL_CONTEXT_PROVIDER + " failed to supply a TLS "
                    + "context: " + e.getClass().getSimpleName());
        }
        if (context == null) {
            throw new ConfigException(ProducerConfig.SSL_CONTEXT_PROVIDER, provider.getClass().getName(),
                    "a provider that returns a TLS context (it returned null)");
        }
        return context;
    }

    private static SSLContext contextFromKeys(SslSettings settings) {
        SSLContext context;
        try {
            context = SSLContext.getInstance(settings.protocol());
        } catch (NoSuchAlgorithmException e) {
            throw new ConfigException(SSL_PROTOCOL, settings.protocol(), "a protocol the JDK supports, e.g. TLSv1.3 "
                    + "or TLSv1.2");
        }
        try {
            context.init(keyManagers(settings), trustManagers(settings), null);
        } catch (java.security.KeyManagementException e) {
            throw new ConfigException("Cannot initialise the TLS context: " + e.getMessage());
        }
        return context;
    }

    /**
     * A client engine for one connection. The host is the one dialled (as written in bootstrap.servers or named by
     * the broker's metadata), which is what hostname verification and SNI check against.
     */
    public SSLEngine createClientEngine(String host, int port) {
        SSLEngine engine = currentContext().createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(enabledProtocols);
        if (cipherSuites != null) {
            parameters.setCipherSuites(cipherSuites);
        }
        parameters.setEndpointIdentificationAlgorithm(endpointIdentificationAlgorithm);
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** The provider's context for a new connection; its last good one when it fails now. */
    private SSLContext currentContext() {
        if (provider == null) {
            return context;
        }
        try {
            SSLContext fresh = provider.sslContext();
            if (fresh != null) {
                context = fresh;
            } else {
                log.warn("The {} returned no TLS context; using its previous one", ProducerConfig.SSL_CONTEXT_PROVIDER);
            }
        } catch (RuntimeException e) {
            log.warn("The {} failed ({}); using its previous TLS context", ProducerConfig.SSL_CONTEXT_PROVIDER,
                    e.getClass().getSimpleName());
        }
        return context;
    }

    private static String[] checkSupported(String key, List<String> wanted, String[] supported) {
        Set<String> available = new HashSet<>(Arrays.asList(supported));
        for (String name : wanted) {
            if (!available.contains(name)) {
                throw new ConfigException(key, String.join(",", wanted), name + " is not supported by this JDK; "
                        + "supported: " + String.join(",", supported));
            }
        }
        return wanted.toArray(String[]::new);
    }

    private static TrustManager[] trustManagers(SslSettings s) {
        KeyStore trustStore;
        if (s.truststoreCertificates() != null) {
            trustStore = trustStoreOf(certificates(s.truststoreCertificates(), "ssl.truststore.certificates"));
        } else if (s.truststoreLocation() == null) {
            trustStore = null; // the JDK's default trust store
        } else if (s.truststoreType().equals(SslSettings.PEM)) {
            trustStore = trustStoreOf(certificates(readFile(SSL_TRUSTSTORE_LOCATION, s.truststoreLocation()),
                    SSL_TRUSTSTORE_LOCATION + "=" + s.truststoreLocation()));
        } else {
            trustStore = loadKeyStore(SSL_TRUSTSTORE_TYPE, s.truststoreType(), SSL_TRUSTSTORE_LOCATION,
                    s.truststoreLocation(), "ssl.truststore.password", s.truststorePassword());
        }
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trustStore);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw new ConfigException("Cannot use the trust store: " + e.getClass().getSimpleName());
        }
    }

    private static KeyManager[] keyManagers(SslSettings s) {
        if (!s.hasKeystore()) {
            return null;
        }
        KeyStore keyStore;
        char[] keyPassword;
        if (s.keystoreType().equals(SslSettings.PEM)) {
            String pem;
            String source;
            if (s.keystoreKey() != null) {
                pem = s.keystoreKey().value() + "\n" + s.keystoreCertificateChain();
                source = "ssl.keystore.key / ssl.keystore.certificate.chain";
            } else {
                pem = readFile(SSL_KEYSTORE_LOCATION, s.keystoreLocation());
                source = SSL_KEYSTORE_LOCATION + "=" + s.keystoreLocation();
            }
            PrivateKey key;
            try {
                key = PemParser.privateKey(pem, s.keyPassword());
            } catch (PemException e) {
                throw new ConfigException("Cannot read the private key from " + source + ": " + e.getMessage());
            }
            List<X509Certificate> chain = certificates(s.keystoreKey() != null ? s.keystoreCertificateChain() : pem,
                    s.keystoreKey() != null ? "ssl.keystore.certificate.chain" : source);
            keyPassword = new char[0];
            try {
                keyStore = KeyStore.getInstance("PKCS12");
                keyStore.load(null, null);
                keyStore.setKeyEntry("client", key, keyPassword, chain.toArray(Certificate[]::new));
            } catch (GeneralSecurityException | IOException e) {
                throw new ConfigException("Cannot use the key from " + source + " with its certificate chain: "
                        + e.getClass().getSimpleName());
            }
        } else {
            if (s.keystoreLocation() == null) {
                throw new ConfigException("ssl.keystore.location is required with ssl.keystore.type="
                        + s.keystoreType());
            }
            keyStore = loadKeyStore(SSL_KEYSTORE_TYPE, s.keystoreType(), SSL_KEYSTORE_LOCATION, s.keystoreLocation(),
                    "ssl.keystore.password", s.keystorePassword());
            Password password = s.keyPassword() != null ? s.keyPassword() : s.keystorePassword();
            keyPassword = password == null ? new char[0] : password.chars();
        }
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keyStore, keyPassword);
            return factory.getKeyManagers();
        } catch (UnrecoverableKeyException e) {
            throw new ConfigException("Cannot recover the private key from " + SSL_KEYSTORE_LOCATION + "="
                    + s.keystoreLocation() + ": wrong ssl.key.password (or ssl.keystore.password)");
        } catch (GeneralSecurityException e) {
            throw new ConfigException("Cannot use the key store: " + e.getClass().getSimpleName());
        } finally {
            Arrays.fill(keyPassword, '\0');
        }
    }

    private static KeyStore loadKeyStore(String typeKey, String type, String locationKey, String location,
                                         String passwordKey, Password password) {
        KeyStore store;
        try {
            store = KeyStore.getInstance(type);
        } catch (KeyStoreException e) {
            throw new ConfigException(typeKey, type, "JKS, PKCS12 or PEM");
        }
        char[] chars = password == null ? null : password.chars();
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, chars);
            return store;
        } catch (NoSuchFileException e) {
            throw new ConfigException(locationKey, location, "no such file");
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || e.getMessage() != null
                    && e.getMessage().toLowerCase(Locale.ROOT).contains("password")) {
                throw new ConfigException("Cannot load the " + type + " store " + locationKey + "=" + location
                        + ": wrong " + passwordKey);
            }
            throw new ConfigException("Cannot load the " + type + " store " + locationKey + "=" + location
                    + ": not a readable " + type + " file, or wrong " + passwordKey);
        } catch (GeneralSecurityException e) {
            throw new ConfigException("Cannot load the " + type + " store " + locationKey + "=" + location + ": "
                    + e.getClass().getSimpleName());
        } finally {
            if (chars != null) {
                Arrays.fill(chars, '\0');
            }
        }
    }

    private static KeyStore trustStoreOf(List<X509Certificate> certificates) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (X509Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot build an in-memory trust store", e);
        }
    }

    private static List<X509Certificate> certificates(String pem, String source) {
        try {
            return PemParser.certificates(pem);
        } catch (PemException e) {
            throw new ConfigException("Cannot read certificates from " + source + ": " + e.getMessage());
        }
    }

    private static String readFile(String key, String location) {
        try {
            return Files.readString(Path.of(location), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new ConfigException(key, location, "no such file");
        } catch (IOException e) {
            throw new ConfigException(key, location, "cannot read the file: " + e.getMessage());
        }
    }
}
