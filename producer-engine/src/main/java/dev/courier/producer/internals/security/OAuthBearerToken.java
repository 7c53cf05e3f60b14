package dev.courier.producer.internals.security;

/**
 * A bearer token and when it expires (wall-clock epoch milliseconds, as a JWT's {@code exp}).
 * {@link #toString()} never shows the token itself.
 */
public record OAuthBearerToken(String value, long expiresAtEpochMs) {

    @Override
    public String toString() {
        return "OAuthBearerToken(expiresAtEpochMs=" + expiresAtEpochMs + ")";
    }
}
