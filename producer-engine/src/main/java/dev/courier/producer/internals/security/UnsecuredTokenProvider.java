package dev.courier.producer.internals.security;

import dev.courier.producer.internals.util.Time;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * Unsecured development tokens, as Kafka's unsecured OAUTHBEARER login builds them from the JAAS
 * options: an unsigned JWT ({@code {"alg":"none"}}) whose claims are {@code iat}, {@code exp}
 * ({@code unsecuredLoginLifetimeSeconds}, default 3600), the principal claim
 * ({@code unsecuredLoginPrincipalClaimName}, default {@code sub}) and every
 * {@code unsecuredLoginStringClaim_<name>}, {@code unsecuredLoginNumberClaim_<name>} and
 * {@code unsecuredLoginListClaim_<name>} option (a list's first character is its separator).
 * A new token is built once 80% of the current one's lifetime has passed.
 */
final class UnsecuredTokenProvider implements OAuthBearerTokenProvider {

    private final Map<String, String> options;
    private final Time time;
    private OAuthBearerToken current;
    private long refreshAtEpochMs;

    UnsecuredTokenProvider(Map<String, String> options, Time time) {
        this.options = options;
        this.time = time;
        String principalClaim = options.getOrDefault("unsecuredLoginPrincipalClaimName", "sub");
        if (options.get("unsecuredLoginStringClaim_" + principalClaim) == null) {
            throw new IllegalArgumentException("needs option unsecuredLoginStringClaim_" + principalClaim
                    + " (the principal) for unsecured OAUTHBEARER tokens");
        }
    }

    @Override
    public synchronized OAuthBearerToken token(long maxWaitMs) {
        long now = time.milliseconds();
        if (current == null || now >= refreshAtEpochMs) {
            long lifetimeSeconds = Long.parseLong(options.getOrDefault("unsecuredLoginLifetimeSeconds", "3600"));
            current = build(now, lifetimeSeconds);
            refreshAtEpochMs = now + lifetimeSeconds * 800;
        }
        return current;
    }

    OAuthBearerToken build(long nowEpochMs, long lifetimeSeconds) {
        long iat = nowEpochMs / 1000;
        Map<String, String> claims = new TreeMap<>(); // name -> JSON value
        claims.put("iat", Long.toString(iat));
        claims.put("exp", Long.toString(iat + lifetimeSeconds));
        for (Map.Entry<String, String> option : options.entrySet()) {
            String key = option.getKey();
            String value = option.getValue();
            if (key.startsWith("unsecuredLoginStringClaim_")) {
                claims.put(key.substring("unsecuredLoginStringClaim_".length()), Json.quote(value));
            } else if (key.startsWith("unsecuredLoginNumberClaim_")) {
                claims.put(key.substring("unsecuredLoginNumberClaim_".length()), Long.toString(Long.parseLong(value)));
            } else if (key.startsWith("unsecuredLoginListClaim_") && !value.isEmpty()) {
                String separator = java.util.regex.Pattern.quote(value.substring(0, 1));
                StringBuilder list = new StringBuilder("[");
                for (String item : value.substring(1).split(separator)) {
                    if (!item.isEmpty()) {
                        list.append(list.length() > 1 ? "," : "").append(Json.quote(item));
                    }
                }
                claims.put(key.substring("unsecuredLoginListClaim_".length()), list.append(']').toString());
            }
        }
        StringBuilder payload = new StringBuilder("{");
        for (Map.Entry<String, String> claim : claims.entrySet()) {
            payload.append(payload.length() > 1 ? "," : "").append(Json.quote(claim.getKey())).append(':')
                    .append(claim.getValue());
        }
        payload.append('}');
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String jwt = b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8)) + ".";
        return new OAuthBearerToken(jwt, (iat + lifetimeSeconds) * 1000);
    }
}
