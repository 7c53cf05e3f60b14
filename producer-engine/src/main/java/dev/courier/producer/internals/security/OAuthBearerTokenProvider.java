package dev.courier.producer.internals.security;

/** Where OAUTHBEARER tokens come from: built locally (unsecured) or fetched from an OIDC token endpoint. */
interface OAuthBearerTokenProvider extends AutoCloseable {

    /**
     * A token valid now, waiting at most {@code maxWaitMs} for one to be fetched.
     *
     * @throws dev.courier.producer.errors.SaslAuthenticationException when none could be had in time
     */
    OAuthBearerToken token(long maxWaitMs);

    @Override
    default void close() {
    }
}
