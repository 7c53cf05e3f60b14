package dev.courier.producer.internals.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.ProducerConfig;
import dev.courier.producer.SslContextProvider;
import dev.courier.producer.errors.ConfigException;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;

class SslContextProviderTests {

    private static SslFactory factory(SslContextProvider provider, Object... keysAndValues) {
        Map<String, Object> config = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        config.put(ProducerConfig.SSL_CONTEXT_PROVIDER, provider);
        return SslFactory.create(SslSettings.from(config), SslFactory.contextProvider(config));
    }

    @Test
    void eachNewEngineComesFromTheContextTheProviderReturnsAtThatMoment() throws Exception {
        RecordingContext first = RecordingContext.create();
        RecordingContext second = RecordingContext.create();
        AtomicReference<SSLContext> current = new AtomicReference<>(first);
        SslFactory factory = factory(current::get);

        SSLEngine a = factory.createClientEngine("broker-1", 9093);
        current.set(second);
        SSLEngine b = factory.createClientEngine("broker-2", 9093);

        assertThat(first.engines).contains(a).doesNotContain(b); // also holds the probe made at construction
        assertThat(second.engines).containsExactly(b);
        assertThat(b.getPeerHost()).isEqualTo("broker-2");
    }

    @Test
    void protocolsCipherSuitesAndHostnameVerificationStillApply() throws Exception {
        RecordingContext context = RecordingContext.create();
        String suite = "TLS_AES_128_GCM_SHA256";
        SSLEngine engine = factory(() -> context, "ssl.enabled.protocols", "TLSv1.3", "ssl.cipher.suites", suite)
                .createClientEngine("broker", 9093);

        assertThat(engine.getUseClientMode()).isTrue();
        assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3");
        assertThat(engine.getEnabledCipherSuites()).containsExactly(suite);
        assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
    }

    @Test
    void theTrustAndKeyMaterialKeysAreNotReadWhenAProviderIsGiven() throws Exception {
        RecordingContext context = RecordingContext.create();
        SslFactory factory = factory(() -> context, "ssl.truststore.location", "/no/such/truststore.jks");

        factory.createClientEngine("broker", 9093);

        assertThat(context.engines).hasSize(2); // the probe at construction, then the connection's
    }

    @Test
    void aProviderThatFailsLaterLeavesTheLastContextItReturned() throws Exception {
        RecordingContext good = RecordingContext.create();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        AtomicReference<SSLContext> answer = new AtomicReference<>(good);
        SslFactory factory = factory(() -> {
            if (failure.get() != null) {
                throw failure.get();
            }
            return answer.get();
        });

        failure.set(new IllegalStateException("bundle gone"));
        SSLEngine afterFailure = factory.createClientEngine("broker", 9093);
        failure.set(null);
        answer.set(null);
        SSLEngine afterNull = factory.createClientEngine("broker", 9093);

        assertThat(good.engines).contains(afterFailure, afterNull);
    }

    @Test
    void aProviderThatFailsAtConstructionIsAConfigExceptionWithoutItsMessage() {
        assertThatThrownBy(() -> factory(() -> {
            throw new IllegalStateException("secret-in-message");
        }))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(ProducerConfig.SSL_CONTEXT_PROVIDER)
                .hasMessageNotContaining("secret-in-message");
        assertThatThrownBy(() -> factory(() -> null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("returned null");
    }

    @Test
    void aValueThatIsNotAProviderIsRefusedNamingTheKeyAndWhatIsAllowed() {
        Map<String, Object> config = Map.of(ProducerConfig.SSL_CONTEXT_PROVIDER, "com.example.MyProvider");

        assertThatThrownBy(() -> SslFactory.contextProvider(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(ProducerConfig.SSL_CONTEXT_PROVIDER)
                .hasMessageContaining(SslContextProvider.class.getName());
        assertThat(SslFactory.contextProvider(Map.of())).isNull();
    }

    /** A default TLS context that remembers the engines it made, so a test can tell which context made one. */
    private static final class RecordingContext extends SSLContext {

        final List<SSLEngine> engines;

        private RecordingContext(Spi spi) {
            super(spi, spi.delegate.getProvider(), spi.delegate.getProtocol());
            this.engines = spi.engines;
        }

        static RecordingContext create() throws GeneralSecurityException {
            SSLContext delegate = SSLContext.getInstance("TLS");
            delegate.init(null, null, null);
            return new RecordingContext(new Spi(delegate));
        }

        private static final class Spi extends SSLContextSpi {
            final SSLContext delegate;
            final List<SSLEngine> engines = new ArrayList<>();

            Spi(SSLContext delegate) {
                this.delegate = delegate;
            }

            @Override
            protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr)
                    throws KeyManagementException {
                delegate.init(km, tm, sr);
            }

            @Override
            protected SSLSocketFactory engineGetSocketFactory() {
                return delegate.getSocketFactory();
            }

            @Override
            protected SSLServerSocketFactory engineGetServerSocketFactory() {
                return delegate.getServerSocketFactory();
            }

            @Override
            protected SSLEngine engineCreateSSLEngine() {
                return record(delegate.createSSLEngine());
            }

            @Override
            protected SSLEngine engineCreateSSLEngine(String host, int port) {
                return record(delegate.createSSLEngine(host, port));
            }

            private SSLEngine record(SSLEngine engine) {
                engines.add(engine);
                return engine;
            }

            @Override
            protected SSLSessionContext engineGetServerSessionContext() {
                return delegate.getServerSessionContext();
            }

            @Override
            protected SSLSessionContext engineGetClientSessionContext() {
                return delegate.getClientSessionContext();
            }
        }
    }
}
