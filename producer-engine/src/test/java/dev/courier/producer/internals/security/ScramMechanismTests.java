package dev.courier.producer.internals.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.errors.SaslAuthenticationException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ScramMechanismTests {

    // RFC 7677, section 3: SCRAM-SHA-256 for user "user", password "pencil"
    private static final String CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
    private static final String SERVER_FIRST =
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private static final String CLIENT_FINAL =
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private static ScramMechanism rfcClient() {
        return new ScramMechanism(ScramMechanism.Algorithm.SHA_256, "user", "pencil", CLIENT_NONCE);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void reproducesTheRfc7677Exchange() {
        ScramMechanism client = rfcClient();

        assertThat(text(client.initialResponse())).isEqualTo("n,,n=user,r=" + CLIENT_NONCE);
        assertThat(text(client.evaluateChallenge(bytes(SERVER_FIRST)))).isEqualTo(CLIENT_FINAL);
        assertThat(client.isComplete()).isFalse();
        assertThat(client.evaluateChallenge(bytes(SERVER_FINAL))).isNull();
        assertThat(client.isComplete()).isTrue();
    }

    @Test
    void refusesAServerWhoseSignatureDoesNotMatch() {
        ScramMechanism client = rfcClient();
        client.initialResponse();
        client.evaluateChallenge(bytes(SERVER_FIRST));

        assertThatThrownBy(() -> client.evaluateChallenge(bytes("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")))
                .isInstanceOf(SaslAuthenticationException.class)
                .hasMessageContaining("server signature does not match")
                .hasMessageNotContaining("pencil");
        assertThat(client.isComplete()).isFalse();
    }

    @Test
    void refusesANonceThatDoesNotExtendTheClientNonce() {
        ScramMechanism client = rfcClient();
        client.initialResponse();

        assertThatThrownBy(() -> client.evaluateChallenge(bytes("r=somebodyElse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")))
                .isInstanceOf(SaslAuthenticationException.class).hasMessageContaining("nonce");
    }

    @Test
    void refusesTooFewIterationsAndServerErrors() {
        ScramMechanism few = rfcClient();
        few.initialResponse();
        assertThatThrownBy(() -> few.evaluateChallenge(bytes(SERVER_FIRST.replace("i=4096", "i=1"))))
                .isInstanceOf(SaslAuthenticationException.class).hasMessageContaining("iterations");

        ScramMechanism refused = rfcClient();
        refused.initialResponse();
        refused.evaluateChallenge(bytes(SERVER_FIRST));
        assertThatThrownBy(() -> refused.evaluateChallenge(bytes("e=invalid-proof")))
                .isInstanceOf(SaslAuthenticationException.class).hasMessageContaining("invalid-proof");
    }

    @Test
    void sha512ProducesA64ByteProofAndEscapesTheUserName() {
        ScramMechanism client = new ScramMechanism(ScramMechanism.Algorithm.SHA_512, "a=b,c", "secret", "nonce");

        assertThat(text(client.initialResponse())).isEqualTo("n,,n=a=3Db=2Cc,r=nonce");
        String clientFinal = text(client.evaluateChallenge(bytes("r=nonceSERVER,s=c2FsdA==,i=4096")));
        String proof = clientFinal.substring(clientFinal.indexOf(",p=") + 3);
        assertThat(java.util.Base64.getDecoder().decode(proof)).hasSize(64);
        assertThat(clientFinal).startsWith("c=biws,r=nonceSERVER,p=");
    }

    @Test
    void generatesAFreshNoncePerAuthentication() {
        String first = text(new ScramMechanism(ScramMechanism.Algorithm.SHA_256, "u", "p").initialResponse());
        String second = text(new ScramMechanism(ScramMechanism.Algorithm.SHA_256, "u", "p").initialResponse());

        assertThat(first).startsWith("n,,n=u,r=").isNotEqualTo(second).doesNotContain("p=");
    }
}
