package dev.courier.producer.internals.security;

import dev.courier.producer.errors.SaslAuthenticationException;
import dev.courier.producer.internals.util.Time;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAUTHBEARER tokens from an OIDC token endpoint with the client-credentials grant (RFC 6749 4.4), as
 * Kafka's login does it: a form POST of {@code grant_type=client_credentials} (and {@code scope} when
 * configured) with HTTP Basic authentication of the URL-encoded client id and secret; the answer's
 * {@code access_token} and {@code expires_in} (or, without it, the JWT's {@code exp}).
 *
 * <p>Fetches happen on the JDK HTTP client's own threads, never on the sender thread: the first at
 * construction, then again once 80% of the current token's lifetime has passed, while the current
 * token is still handed out. Only when there is no valid token at all does {@link #token} wait, and
 * then at most its bound. The client secret and tokens never reach a log line or an exception message.
 */
final class TokenEndpointProvider implements OAuthBearerTokenProvider {

    private static final Logger log = LoggerFactory.getLogger(TokenEndpointProvider.class);
    private static final double REFRESH_AT = 0.8;

    private final URI endpoint;
    private final String authorization;
    private final String form;
    private final Time time;
    private final HttpClient http;
    private final Duration requestTimeout;
    private OAuthBearerToken current;
    private long refreshAtEpochMs;
    private CompletableFuture<OAuthBearerToken> fetch;

    TokenEndpointProvider(String url, Map<String, String> options, Time time, Duration connectTimeout,
                          Duration requestTimeout) {
        this.endpoint = URI.create(url);
        this.time = time;
        this.requestTimeout = requestTimeout;
        String clientId = options.get("clientId");
        String clientSecret = options.get("clientSecret");
        String credentials = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        String scope = options.get("scope");
        this.form = "grant_type=client_credentials"
                + (scope == null || scope.isBlank() ? "" : "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        synchronized (this) {
            startFetch();
        }
    }

    @Override
    public OAuthBearerToken token(long maxWaitMs) {
        CompletableFuture<OAuthBearerToken> waitFor;
        synchronized (this) {
            long now = time.milliseconds();
            if (current != null && now >= refreshAtEpochMs && fetch == null) {
                startFetch();
            }
            if (current != null && now < current.expiresAtEpochMs()) {
                return current;
            }
            if (fetch == null) {
                startFetch();
            }
            waitFor = fetch;
        }
        try {
            return waitFor.get(maxWaitMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new SaslAuthenticationException("No OAUTHBEARER token from " + endpoint + " within " + maxWaitMs
                    + " ms; still trying");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new SaslAuthenticationException("Could not get an OAUTHBEARER token from " + endpoint + ": "
                    + (cause == null ? e : cause.getMessage()), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SaslAuthenticationException("Interrupted while waiting for an OAUTHBEARER token");
        }
    }

    /** Starts a fetch; caller holds the lock and has checked that none is running. */
    private void startFetch() {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        long requestedAt = time.milliseconds();
        CompletableFuture<OAuthBearerToken> started = http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> parse(response.statusCode(), response.body(), requestedAt));
        fetch = started;
        started.whenComplete((token, error) -> fetched(started, token, error, requestedAt));
    }

    private synchronized void fetched(CompletableFuture<OAuthBearerToken> which, OAuthBearerToken token,
                                      Throwable error, long requestedAt) {
        if (fetch == which) {
            fetch = null;
        }
        if (token != null) {
            current = token;
            refreshAtEpochMs = requestedAt + (long) ((token.expiresAtEpochMs() - requestedAt) * REFRESH_AT);
            log.debug("Got an OAUTHBEARER token from {} valid until {}", endpoint, token.expiresAtEpochMs());
        } else {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            log.warn("Could not get an OAUTHBEARER token from {}: {}", endpoint, String.valueOf(cause));
        }
    }

    /** Reads a token endpoint's answer; messages carry the status and the error, never the token. */
    OAuthBearerToken parse(int status, String body, long requestedAtEpochMs) {
        Map<String, String> json;
        try {
            json = Json.topLevelScalars(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("token endpoint answered HTTP " + status + " with a body that is not JSON");
        }
        if (status < 200 || status > 299) {
            String error = json.getOrDefault("error", "");
            String description = json.getOrDefault("error_description", "");
            throw new IllegalStateException("token endpoint answered HTTP " + status
                    + (error.isEmpty() ? "" : " " + error) + (description.isEmpty() ? "" : ": " + description));
        }
        String token = json.get("access_token");
        if (token == null || token.isBlank()) {
            throw new IllegalStateException("token endpoint answered without an access_token");
        }
        String expiresIn = json.get("expires_in");
        long expiresAt;
        if (expiresIn != null) {
            expiresAt = requestedAtEpochMs + (long) (Double.parseDouble(expiresIn) * 1000);
        } else {
            expiresAt = jwtExpiry(token);
        }
        return new OAuthBearerToken(token, expiresAt);
    }

    private static long jwtExpiry(String token) {
        String[] parts = token.split("\\.");
        if (parts.length >= 2) {
            try {
                String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
                String exp = Json.topLevelScalars(payload).get("exp");
                if (exp != null) {
                    return (long) (Double.parseDouble(exp) * 1000);
                }
            } catch (IllegalArgumentException e) {
                // fall through
            }
        }
        throw new IllegalStateException("token endpoint answered without expires_in and the token has no exp claim");
    }

    @Override
    public String toString() {
        return "TokenEndpointProvider(" + endpoint + ")";
    }
}
