package dev.courier.producer.internals.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.errors.SaslAuthenticationException;
import dev.courier.producer.internals.protocol.Errors;
import dev.courier.producer.internals.protocol.SaslAuthenticateRequest;
import dev.courier.producer.internals.protocol.SaslAuthenticateResponse;
import dev.courier.producer.internals.protocol.SaslHandshakeRequest;
import dev.courier.producer.internals.protocol.SaslHandshakeResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The authenticator's exchange, driven by hand the way NetworkClient drives it, with scripted broker answers. */
class SaslAuthenticatorTests {

    private static final byte[] NONE = new byte[0];

    private static SaslAuthenticator plain(String password) {
        return new SaslAuthenticator("1", "PLAIN", () -> new PlainMechanism("alice", password));
    }

    private static SaslHandshakeResponse handshakeOk() {
        return new SaslHandshakeResponse(Errors.NONE.code(), List.of("PLAIN", "SCRAM-SHA-256"));
    }

    @Test
    void plainSendsHandshakeThenOneTokenThenIsComplete() {
        SaslAuthenticator auth = plain("pw");

        assertThat(auth.nextRequest(0)).isEqualTo(new SaslHandshakeRequest("PLAIN"));
        assertThat(auth.nextRequest(0)).as("waits for the handshake answer").isNull();
        auth.handleResponse(handshakeOk(), 0);
        SaslAuthenticateRequest token = (SaslAuthenticateRequest) auth.nextRequest(0);
        assertThat(new String(token.authBytes(), StandardCharsets.UTF_8)).isEqualTo("\0alice\0pw");
        assertThat(token.toString()).doesNotContain("pw");
        assertThat(auth.isComplete()).isFalse();
        auth.handleResponse(new SaslAuthenticateResponse(Errors.NONE.code(), null, NONE, 0), 0);

        assertThat(auth.isComplete()).isTrue();
        assertThat(auth.nextRequest(0)).isNull();
        assertThat(auth.sessionExpiresAtMs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void retiresTheSessionBeforeTheLifetimeTheBrokerGrants() {
        SaslAuthenticator auth = plain("pw");
        auth.nextRequest(1_000);
        auth.handleResponse(handshakeOk(), 1_000);
        auth.nextRequest(1_000);
        auth.handleResponse(new SaslAuthenticateResponse(Errors.NONE.code(), null, NONE, 100_000), 1_000);

        assertThat(auth.sessionExpiresAtMs()).isBetween(1_000 + 85_000L, 1_000 + 95_000L);
    }

    @Test
    void anUnsupportedMechanismNamesWhatTheBrokerEnables() {
        SaslAuthenticator auth = plain("pw");
        auth.nextRequest(0);

        assertThatThrownBy(() -> auth.handleResponse(new SaslHandshakeResponse(Errors.UNSUPPORTED_SASL_MECHANISM.code(),
                List.of("SCRAM-SHA-512")), 0))
                .isInstanceOf(SaslAuthenticationException.class)
                .hasMessageContaining("PLAIN").hasMessageContaining("[SCRAM-SHA-512]");
        assertThat(auth.isComplete()).isFalse();
        assertThat(auth.nextRequest(0)).isNull();
    }

    @Test
    void aRefusedTokenFailsWithTheBrokersMessageAndNotThePassword() {
        SaslAuthenticator auth = plain("hunter2");
        auth.nextRequest(0);
        auth.handleResponse(handshakeOk(), 0);
        auth.nextRequest(0);

        assertThatThrownBy(() -> auth.handleResponse(new SaslAuthenticateResponse(
                Errors.SASL_AUTHENTICATION_FAILED.code(), "Authentication failed: Invalid username or password", NONE, 0), 0))
                .isInstanceOf(SaslAuthenticationException.class)
                .hasMessageContaining("Invalid username or password")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void scramRunsTwoRoundsAndRefusesAForgedServerSignature() {
        SaslAuthenticator auth = new SaslAuthenticator("1", "SCRAM-SHA-256",
                () -> new ScramMechanism(ScramMechanism.Algorithm.SHA_256, "user", "pencil", "rOprNGfwEbeRWgbNEkqO"));
        auth.nextRequest(0);
        auth.handleResponse(handshakeOk(), 0);
        assertThat(auth.nextRequest(0)).isInstanceOf(SaslAuthenticateRequest.class);
        auth.handleResponse(new SaslAuthenticateResponse(Errors.NONE.code(), null,
                ("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")
                        .getBytes(StandardCharsets.UTF_8), 0), 0);
        SaslAuthenticateRequest clientFinal = (SaslAuthenticateRequest) auth.nextRequest(0);
        assertThat(new String(clientFinal.authBytes(), StandardCharsets.UTF_8)).contains(",p=");

        assertThatThrownBy(() -> auth.handleResponse(new SaslAuthenticateResponse(Errors.NONE.code(), null,
                "v=Zm9yZ2Vk".getBytes(StandardCharsets.UTF_8), 0), 0))
                .isInstanceOf(SaslAuthenticationException.class).hasMessageContaining("signature");
        assertThat(auth.isComplete()).isFalse();
    }

    @Test
    void aServerTokenTheMechanismCannotReadFailsTheAuthentication() {
        // an empty password is no HMAC key: the JDK throws IllegalArgumentException, which must not escape as such
        SaslAuthenticator auth = new SaslAuthenticator("1", "SCRAM-SHA-256",
                () -> new ScramMechanism(ScramMechanism.Algorithm.SHA_256, "user", "", "nonce"));
        auth.nextRequest(0);
        auth.handleResponse(handshakeOk(), 0);
        auth.nextRequest(0);

        assertThatThrownBy(() -> auth.handleResponse(new SaslAuthenticateResponse(Errors.NONE.code(), null,
                "r=nonceX,s=c2FsdA==,i=4096".getBytes(StandardCharsets.UTF_8), 0), 0))
                .isInstanceOf(SaslAuthenticationException.class).hasMessageContaining("SCRAM-SHA-256");
        assertThat(auth.nextRequest(0)).isNull();
    }

    @Test
    void anAnswerOfTheWrongKindFailsTheAuthentication() {
        SaslAuthenticator auth = plain("pw");
        auth.nextRequest(0);

        assertThatThrownBy(() -> auth.handleResponse(new SaslAuthenticateResponse(Errors.NONE.code(), null, NONE, 0), 0))
                .isInstanceOf(SaslAuthenticationException.class).hasMessageContaining("Unexpected");
    }

    @Test
    void theNoOpAuthenticatorIsCompleteAtOnce() {
        Authenticator none = Authenticator.Factory.NONE.create("1", 0);

        assertThat(none.isComplete()).isTrue();
        assertThat(none.nextRequest(0)).isNull();
        assertThat(none.sessionExpiresAtMs()).isEqualTo(Long.MAX_VALUE);
    }
}
