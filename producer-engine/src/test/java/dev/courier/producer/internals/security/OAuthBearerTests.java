package dev.courier.producer.internals.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.internals.util.ManualTime;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OAuthBearerTests {

    @Test
    void clientResponseFollowsRfc7628() {
        OAuthBearerMechanism mechanism = new OAuthBearerMechanism(new OAuthBearerToken("abc.def.", 0));

        assertThat(new String(mechanism.initialResponse(), StandardCharsets.UTF_8))
                .isEqualTo("n,,\u0001auth=Bearer abc.def.\u0001\u0001");
        assertThat(mechanism.evaluateChallenge(new byte[0])).isNull();
        assertThat(mechanism.isComplete()).isTrue();
    }

    @Test
    void acknowledgesAnErrorChallengeWithASingleByte() {
        OAuthBearerMechanism mechanism = new OAuthBearerMechanism(new OAuthBearerToken("t", 0));
        mechanism.initialResponse();

        assertThat(mechanism.evaluateChallenge("{\"status\":\"invalid_token\"}".getBytes(StandardCharsets.UTF_8)))
                .containsExactly(1);
        assertThat(mechanism.isComplete()).isFalse();
    }

    @Test
    void buildsAnUnsignedJwtFromTheUnsecuredLoginOptions() {
        ManualTime time = new ManualTime(1_700_000_000_000L);
        UnsecuredTokenProvider provider = new UnsecuredTokenProvider(Map.of("unsecuredLoginStringClaim_sub", "alice",
                "unsecuredLoginNumberClaim_level", "7", "unsecuredLoginListClaim_scope", ",read,write",
                "unsecuredLoginLifetimeSeconds", "600"), time);

        OAuthBearerToken token = provider.token(0);

        String[] parts = token.value().split("\\.", -1);
        assertThat(parts).hasSize(3);
        assertThat(parts[2]).isEmpty();
        Base64.Decoder b64 = Base64.getUrlDecoder();
        assertThat(new String(b64.decode(parts[0]), StandardCharsets.UTF_8)).isEqualTo("{\"alg\":\"none\"}");
        long iat = time.milliseconds() / 1000;
        assertThat(new String(b64.decode(parts[1]), StandardCharsets.UTF_8)).isEqualTo("{\"exp\":" + (iat + 600)
                + ",\"iat\":" + iat + ",\"level\":7,\"scope\":[\"read\",\"write\"],\"sub\":\"alice\"}");
        assertThat(token.expiresAtEpochMs()).isEqualTo((iat + 600) * 1000);
        assertThat(token.toString()).doesNotContain(token.value());
    }

    @Test
    void reusesATokenUntil80PercentOfItsLifetimeThenBuildsANewOne() {
        ManualTime time = new ManualTime(1_700_000_000_000L);
        UnsecuredTokenProvider provider = new UnsecuredTokenProvider(Map.of("unsecuredLoginStringClaim_sub", "alice",
                "unsecuredLoginLifetimeSeconds", "100"), time);

        OAuthBearerToken first = provider.token(0);
        time.sleep(79_000);
        assertThat(provider.token(0)).isSameAs(first);
        time.sleep(2_000);
        assertThat(provider.token(0).expiresAtEpochMs()).isGreaterThan(first.expiresAtEpochMs());
    }
}
