package dev.courier.producer.internals.security;

import dev.courier.producer.internals.util.Time;
import java.util.Map;

/** Picks the connection authenticator for a security protocol: SASL for SASL_*, none otherwise. */
public final class Authenticators {

    private Authenticators() {
    }

    /**
     * @param sasl the SASL settings, or null when the security protocol is not SASL_*
     */
    public static Authenticator.Factory create(SaslSettings sasl, Time time) {
        if (sasl == null) {
            return Authenticator.Factory.NONE;
        }
        JaasConfig jaas = sasl.jaas();
        String mechanism = sasl.mechanism();
        switch (mechanism) {
            case "PLAIN" -> {
                String user = jaas.option("username");
                String password = jaas.option("password");
                return (nodeId, nowMs) -> new SaslAuthenticator(nodeId, mechanism,
                        () -> new PlainMechanism(user, password));
            }
            case "SCRAM-SHA-256", "SCRAM-SHA-512" -> {
                ScramMechanism.Algorithm algorithm = mechanism.endsWith("256") ? ScramMechanism.Algorithm.SHA_256
                        : ScramMechanism.Algorithm.SHA_512;
                String user = jaas.option("username");
                String password = jaas.option("password");
                return (nodeId, nowMs) -> new SaslAuthenticator(nodeId, mechanism,
                        () -> new ScramMechanism(algorithm, user, password));
            }
            case "OAUTHBEARER" -> {
                OAuthBearerTokenProvider tokens = tokenProvider(sasl, jaas.options(), time);
                return new Authenticator.Factory() {
                    @Override
                    public Authenticator create(String nodeId, long nowMs) {
                        return new SaslAuthenticator(nodeId, mechanism,
                                () -> new OAuthBearerMechanism(tokens.token(TOKEN_WAIT_MS)));
                    }

                    @Override
                    public void close() {
                        tokens.close();
                    }
                };
            }
            case "GSSAPI" -> {
                KerberosLogin login = new KerberosLogin(jaas, time);
                String serviceName = sasl.kerberosServiceName();
                return new Authenticator.Factory() {
                    @Override
                    public Authenticator create(String nodeId, long nowMs) {
                        return create(nodeId, null, nowMs);
                    }

                    @Override
                    public Authenticator create(String nodeId, String host, long nowMs) {
                        return new SaslAuthenticator(nodeId, mechanism,
                                () -> new GssapiMechanism(login.subject(), serviceName, host));
                    }

                    @Override
                    public void close() {
                        login.close();
                    }
                };
            }
            default -> throw new IllegalArgumentException("Unsupported SASL mechanism " + mechanism);
        }
    }

    /** How long the sender thread may wait for a token that is being fetched when a connection needs it. */
    static final long TOKEN_WAIT_MS = 2_000;

    private static OAuthBearerTokenProvider tokenProvider(SaslSettings sasl, Map<String, String> options, Time time) {
        if (sasl.tokenEndpointUrl() != null) {
            return new TokenEndpointProvider(sasl.tokenEndpointUrl(), options, time,
                    java.time.Duration.ofMillis(sasl.loginConnectTimeoutMs()),
                    java.time.Duration.ofMillis(sasl.loginReadTimeoutMs()));
        }
        return new UnsecuredTokenProvider(options, time);
    }
}
