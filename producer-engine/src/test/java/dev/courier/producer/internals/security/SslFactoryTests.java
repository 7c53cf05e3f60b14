package dev.courier.producer.internals.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.errors.ConfigException;
import dev.courier.producer.testing.TestCertificates;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SslFactoryTests {

    private static final TestCertificates CERTS = TestCertificates.get();
    private static final String PW = TestCertificates.PASSWORD;

    private static Map<String, Object> config(Object... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static SslFactory factory(Object... keysAndValues) {
        return SslFactory.create(SslSettings.from(config(keysAndValues)));
    }

    private static ConfigException refusal(Object... keysAndValues) {
        try {
            factory(keysAndValues);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected a ConfigException");
    }

    @Nested
    class Building {

        @Test
        void theDefaultsGiveTls12And13WithHostnameVerificationAndTheJdkTrustStore() {
            SSLEngine engine = factory().createClientEngine("broker.example", 9093);
            assertThat(engine.getUseClientMode()).isTrue();
            assertThat(engine.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.2", "TLSv1.3");
            assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
            assertThat(engine.getPeerHost()).isEqualTo("broker.example");
        }

        @Test
        void anEmptyEndpointIdentificationAlgorithmTurnsHostnameVerificationOff() {
            SSLEngine engine = factory("ssl.endpoint.identification.algorithm", "")
                    .createClientEngine("localhost", 9093);
            assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isNull();
        }

        @Test
        void aJksTrustStoreAndAPkcs12KeyStoreLoad() {
            assertThat(factory("ssl.truststore.location", CERTS.file("truststore.jks").toString(),
                    "ssl.truststore.password", PW,
                    "ssl.keystore.type", "PKCS12", "ssl.keystore.location", CERTS.file("client.p12").toString(),
                    "ssl.keystore.password", PW).createClientEngine("localhost", 1)).isNotNull();
        }

        @Test
        void aPkcs12TrustStoreAndAJksKeyStoreWithAnRsaOrEcKeyLoad() {
            assertThat(factory("ssl.truststore.type", "PKCS12",
                    "ssl.truststore.location", CERTS.file("truststore.p12").toString(), "ssl.truststore.password", PW,
                    "ssl.keystore.location", CERTS.file("client.jks").toString(), "ssl.keystore.password", PW,
                    "ssl.key.password", PW).createClientEngine("localhost", 1)).isNotNull();
            assertThat(factory("ssl.keystore.type", "PKCS12", "ssl.keystore.location",
                    CERTS.file("server.p12").toString(), "ssl.keystore.password", PW)
                    .createClientEngine("localhost", 1)).isNotNull();
        }

        @Test
        void pemFilesLoad() {
            assertThat(factory("ssl.truststore.type", "PEM", "ssl.truststore.location", CERTS.file("ca.pem").toString(),
                    "ssl.keystore.type", "PEM", "ssl.keystore.location", CERTS.file("client-keystore.pem").toString())
                    .createClientEngine("localhost", 1)).isNotNull();
        }

        @Test
        void inlinePemLoadsWithAPlainOrAnEncryptedKey() {
            assertThat(factory("ssl.truststore.type", "PEM", "ssl.truststore.certificates", CERTS.text("ca.pem"),
                    "ssl.keystore.type", "PEM", "ssl.keystore.key", CERTS.text("client-key.pem"),
                    "ssl.keystore.certificate.chain", CERTS.text("client-chain.pem"))
                    .createClientEngine("localhost", 1)).isNotNull();
            assertThat(factory("ssl.keystore.type", "PEM", "ssl.keystore.key", CERTS.text("client-key-encrypted.pem"),
                    "ssl.keystore.certificate.chain", CERTS.text("client-chain.pem"), "ssl.key.password", PW)
                    .createClientEngine("localhost", 1)).isNotNull();
        }

        @Test
        void aProtocolListAndCipherSuitesAreApplied() {
            SSLEngine engine = factory("ssl.protocol", "TLSv1.2", "ssl.enabled.protocols", "TLSv1.2",
                    "ssl.cipher.suites", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
                    .createClientEngine("localhost", 1);
            assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.2");
            assertThat(engine.getEnabledCipherSuites()).containsExactly("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        }
    }

    @Nested
    class Refusing {

        @Test
        void aWrongKeyStorePasswordNamesTheKeyButNotThePassword() {
            ConfigException e = refusal("ssl.keystore.type", "PKCS12",
                    "ssl.keystore.location", CERTS.file("client.p12").toString(), "ssl.keystore.password", "wrong-pw-42");
            assertThat(e).hasMessageContaining("ssl.keystore.password").hasMessageNotContaining("wrong-pw-42");
        }

        @Test
        void aWrongKeyPasswordForAJksKeyNamesTheKeyButNotThePassword() {
            ConfigException e = refusal("ssl.keystore.location", CERTS.file("client.jks").toString(),
                    "ssl.keystore.password", PW, "ssl.key.password", "wrong-key-pw-42");
            assertThat(e).hasMessageContaining("ssl.key.password").hasMessageNotContaining("wrong-key-pw-42");
        }

        @Test
        void aWrongPasswordForAnEncryptedPemKeyIsRefusedWithoutShowingItOrTheKey() {
            ConfigException e = refusal("ssl.keystore.type", "PEM",
                    "ssl.keystore.key", CERTS.text("client-key-encrypted.pem"),
                    "ssl.keystore.certificate.chain", CERTS.text("client-chain.pem"), "ssl.key.password", "wrong-pw-42");
            assertThat(e).hasMessageContaining("ssl.key.password").hasMessageNotContaining("wrong-pw-42")
                    .hasMessageNotContaining("PRIVATE KEY-----");
        }

        @Test
        void anEncryptedPemKeyWithoutAPasswordIsRefused() {
            assertThat(refusal("ssl.keystore.type", "PEM", "ssl.keystore.key", CERTS.text("client-key-encrypted.pem"),
                    "ssl.keystore.certificate.chain", CERTS.text("client-chain.pem")))
                    .hasMessageContaining("encrypted but ssl.key.password is not set");
        }

        @Test
        void aMissingFileIsNamedWithItsKey() {
            ConfigException e = refusal("ssl.truststore.location", "/no/such/truststore.jks",
                    "ssl.truststore.password", PW);
            assertThat(e.key()).isEqualTo("ssl.truststore.location");
            assertThat(e).hasMessageContaining("no such file").hasMessageNotContaining(PW);
        }

        @Test
        void unreadablePemIsRefusedWithoutEchoingIt() {
            String garbage = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n-----END PRIVATE KEY-----\n";
            ConfigException e = refusal("ssl.keystore.type", "PEM", "ssl.keystore.key", garbage,
                    "ssl.keystore.certificate.chain", CERTS.text("client-chain.pem"));
            assertThat(e).hasMessageContaining("ssl.keystore.key").hasMessageNotContaining("bm90IGEga2V5");
            assertThat(refusal("ssl.truststore.type", "PEM", "ssl.truststore.certificates", "not pem at all"))
                    .hasMessageContaining("ssl.truststore.certificates").hasMessageContaining("no -----BEGIN CERTIFICATE");
        }

        @Test
        void inlineCertificatesNeedThePemType() {
            assertThat(refusal("ssl.truststore.certificates", CERTS.text("ca.pem")).key())
                    .isEqualTo("ssl.truststore.type");
            assertThat(refusal("ssl.keystore.key", CERTS.text("client-key.pem"),
                    "ssl.keystore.certificate.chain", CERTS.text("client-chain.pem")).key())
                    .isEqualTo("ssl.keystore.type");
        }

        @Test
        void unknownProtocolsCipherSuitesAndIdentificationAlgorithmsAreNamed() {
            assertThat(refusal("ssl.protocol", "TLSv9").key()).isEqualTo("ssl.protocol");
            assertThat(refusal("ssl.enabled.protocols", "TLSv1.3,SSLv9").key()).isEqualTo("ssl.enabled.protocols");
            assertThat(refusal("ssl.cipher.suites", "TLS_NOT_A_SUITE").key()).isEqualTo("ssl.cipher.suites");
            assertThat(refusal("ssl.endpoint.identification.algorithm", "bogus").key())
                    .isEqualTo("ssl.endpoint.identification.algorithm");
        }

        @Test
        void aNonStringPasswordIsRefusedWithoutPrintingIt() {
            assertThatThrownBy(() -> factory("ssl.truststore.password", 123456789))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("ssl.truststore.password").hasMessageNotContaining("123456789");
        }

        @Test
        void settingsNeverShowSecretsInToString() {
            SslSettings settings = SslSettings.from(config("ssl.keystore.type", "PEM",
                    "ssl.keystore.key", CERTS.text("client-key-encrypted.pem"),
                    "ssl.keystore.certificate.chain", CERTS.text("client-chain.pem"), "ssl.key.password", "secret-42",
                    "ssl.truststore.password", "secret-43"));
            assertThat(settings.toString()).doesNotContain("secret-42").doesNotContain("secret-43")
                    .doesNotContain("ENCRYPTED PRIVATE KEY").contains("[hidden]");
        }
    }
}
