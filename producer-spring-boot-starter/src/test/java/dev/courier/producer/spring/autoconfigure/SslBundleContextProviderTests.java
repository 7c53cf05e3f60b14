package dev.courier.producer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;

/** The provider follows bundle updates: the context the engine gets for a new connection is the latest one. */
class SslBundleContextProviderTests {

    @Test
    void aBundleUpdateMakesTheNextContextTheUpdatedBundles() throws Exception {
        SSLContext before = SSLContext.getInstance("TLS");
        SSLContext after = SSLContext.getInstance("TLS");
        DefaultSslBundleRegistry registry = new DefaultSslBundleRegistry("kafka", bundle(before));
        SslBundleContextProvider provider = new SslBundleContextProvider(registry, "kafka");

        assertThat(provider.sslContext()).isSameAs(before);
        registry.updateBundle("kafka", bundle(after));

        assertThat(provider.sslContext()).isSameAs(after);
    }

    @Test
    void anUpdateWhoseContextCannotBeBuiltKeepsThePreviousContext() throws Exception {
        SSLContext before = SSLContext.getInstance("TLS");
        DefaultSslBundleRegistry registry = new DefaultSslBundleRegistry("kafka", bundle(before));
        SslBundleContextProvider provider = new SslBundleContextProvider(registry, "kafka");

        registry.updateBundle("kafka", bundle(null));

        assertThat(provider.sslContext()).isSameAs(before);
    }

    @Test
    void anUnknownBundleIsRefusedAtConstruction() throws Exception {
        DefaultSslBundleRegistry registry = new DefaultSslBundleRegistry("kafka", bundle(SSLContext.getInstance("TLS")));

        assertThatThrownBy(() -> new SslBundleContextProvider(registry, "other"))
                .isInstanceOf(NoSuchSslBundleException.class);
    }

    @Test
    void toStringNamesTheBundleOnly() throws NoSuchAlgorithmException {
        DefaultSslBundleRegistry registry = new DefaultSslBundleRegistry("kafka", bundle(SSLContext.getInstance("TLS")));
        assertThat(new SslBundleContextProvider(registry, "kafka")).hasToString("SslBundleContextProvider{bundle=kafka}");
    }

    /** A bundle whose context is {@code context}; null makes building the context fail. */
    private static SslBundle bundle(SSLContext context) {
        return new SslBundle() {
            @Override
            public SSLContext createSslContext() {
                if (context == null) {
                    throw new IllegalStateException("unreadable key material");
                }
                return context;
            }

            @Override
            public SslStoreBundle getStores() {
                return SslStoreBundle.NONE;
            }

            @Override
            public SslBundleKey getKey() {
                return SslBundleKey.NONE;
            }

            @Override
            public SslOptions getOptions() {
                return SslOptions.NONE;
            }

            @Override
            public String getProtocol() {
                return SslBundle.DEFAULT_PROTOCOL;
            }

            @Override
            public SslManagerBundle getManagers() {
                throw new UnsupportedOperationException();
            }
        };
    }
}
