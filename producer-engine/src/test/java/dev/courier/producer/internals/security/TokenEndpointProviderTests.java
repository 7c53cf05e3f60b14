package dev.courier.producer.internals.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.courier.producer.errors.SaslAuthenticationException;
import dev.courier.producer.internals.util.ManualTime;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The OIDC client-credentials client against a token endpoint served by the test. */
class TokenEndpointProviderTests {

    private static final Map<String, String> OPTIONS = Map.of("clientId", "my-client", "clientSecret", "s3cr=t&x",
            "scope", "kafka produce");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ManualTime time = new ManualTime(1_700_000_000_000L);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;

    private record Request(String method, String authorization, String contentType, String body) {
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    /** Serves {@code answer.apply(n)} (status, body) to the n-th request, counting from 1. */
    private String serve(IntFunction<Map.Entry<Integer, String>> answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger count = new AtomicInteger();
        server.createContext("/token", exchange -> respond(exchange, answer.apply(count.incrementAndGet())));
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    private void respond(HttpExchange exchange, Map.Entry<Integer, String> answer) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Content-Type"), body));
        if (answer == null) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer = Map.entry(500, "{}");
        }
        byte[] bytes = answer.getValue().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.getKey(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map.Entry<Integer, String> token(String value, int expiresInSeconds) {
        return Map.entry(200, "{\"access_token\":\"" + value + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                + expiresInSeconds + ",\"extra\":{\"nested\":[1,2]}}");
    }

    @Test
    void postsAClientCredentialsGrantWithBasicAuthenticationAndScope() throws IOException {
        String url = serve(n -> token("token-" + n, 3600));
        TokenEndpointProvider provider = new TokenEndpointProvider(url, OPTIONS, time, TIMEOUT, TIMEOUT);

        OAuthBearerToken token = provider.token(TIMEOUT.toMillis());

        assertThat(token.value()).isEqualTo("token-1");
        assertThat(token.expiresAtEpochMs()).isEqualTo(time.milliseconds() + 3_600_000);
        Request request = requests.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.contentType()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(request.body()).isEqualTo("grant_type=client_credentials&scope=kafka+produce");
        assertThat(new String(Base64.getDecoder().decode(request.authorization().substring("Basic ".length())),
                StandardCharsets.UTF_8)).isEqualTo("my-client:s3cr%3Dt%26x");
    }

    @Test
    void reusesTheTokenThenRefreshesItBeforeItExpires() throws IOException {
        String url = serve(n -> token("token-" + n, 100));
        TokenEndpointProvider provider = new TokenEndpointProvider(url, OPTIONS, time, TIMEOUT, TIMEOUT);
        OAuthBearerToken first = provider.token(TIMEOUT.toMillis());

        time.sleep(79_000);
        assertThat(provider.token(TIMEOUT.toMillis())).isSameAs(first);
        assertThat(requests).hasSize(1);

        time.sleep(2_000); // past 80% of the lifetime: the old token is still handed out while a new one is fetched
        assertThat(provider.token(TIMEOUT.toMillis())).isSameAs(first);
        await().atMost(TIMEOUT).until(() -> provider.token(0).value().equals("token-2"));
        assertThat(requests).hasSize(2);
    }

    @Test
    void anErrorAnswerFailsWithTheEndpointsErrorButNotTheSecret() throws IOException {
        String url = serve(n -> Map.entry(401, "{\"error\":\"invalid_client\",\"error_description\":\"bad secret\"}"));
        TokenEndpointProvider provider = new TokenEndpointProvider(url, OPTIONS, time, TIMEOUT, TIMEOUT);

        assertThatThrownBy(() -> provider.token(TIMEOUT.toMillis()))
                .isInstanceOf(SaslAuthenticationException.class)
                .hasMessageContaining("401").hasMessageContaining("invalid_client")
                .hasMessageNotContaining("s3cr");
    }

    @Test
    void waitsForAFirstTokenNoLongerThanItsBound() throws IOException {
        String url = serve(n -> n == 1 ? null : token("late", 3600)); // the first request hangs until released
        TokenEndpointProvider provider = new TokenEndpointProvider(url, OPTIONS, time, TIMEOUT, TIMEOUT);

        assertThatThrownBy(() -> provider.token(100))
                .isInstanceOf(SaslAuthenticationException.class).hasMessageContaining("within 100 ms");
    }

    @Test
    void takesTheExpiryFromTheJwtWhenTheAnswerHasNoExpiresIn() throws IOException {
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"sub\":\"svc\",\"exp\":1700000600}".getBytes(StandardCharsets.UTF_8));
        String jwt = "eyJhbGciOiJSUzI1NiJ9." + payload + ".sig";
        String url = serve(n -> Map.entry(200, "{\"access_token\":\"" + jwt + "\"}"));
        TokenEndpointProvider provider = new TokenEndpointProvider(url, OPTIONS, time, TIMEOUT, TIMEOUT);

        assertThat(provider.token(TIMEOUT.toMillis()).expiresAtEpochMs()).isEqualTo(1_700_000_600_000L);
    }
}
