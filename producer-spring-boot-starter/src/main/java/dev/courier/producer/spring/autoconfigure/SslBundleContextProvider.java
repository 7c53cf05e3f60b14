package dev.courier.producer.spring.autoconfigure;

import dev.courier.producer.SslContextProvider;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * The producer's TLS context from a Spring Boot SSL bundle. The context is built once per bundle version: when
 * the bundle is reloaded ({@code reload-on-update}), the update handler builds a new one, which the engine
 * picks up for its next new connection; open connections keep theirs.
 */
final class SslBundleContextProvider implements SslContextProvider {

    private static final Logger log = LoggerFactory.getLogger(SslBundleContextProvider.class);

    private final String bundleName;
    private volatile SSLContext context;

    /** @throws org.springframework.boot.ssl.NoSuchSslBundleException when no bundle has that name */
    SslBundleContextProvider(SslBundles bundles, String bundleName) {
        this.bundleName = bundleName;
        this.context = bundles.getBundle(bundleName).createSslContext();
        bundles.addBundleUpdateHandler(bundleName, this::update);
    }

    private void update(SslBundle bundle) {
        try {
            context = bundle.createSslContext();
            log.info("SSL bundle '{}' was updated; new producer connections use its new material", bundleName);
        } catch (RuntimeException e) {
            log.warn("SSL bundle '{}' was updated but its TLS context could not be built ({}); new producer "
                    + "connections keep the previous one", bundleName, e.getClass().getSimpleName());
        }
    }

    @Override
    public SSLContext sslContext() {
        return context;
    }

    @Override
    public String toString() {
        return "SslBundleContextProvider{bundle=" + bundleName + "}";
    }
}
