package dev.courier.producer.spring.autoconfigure;

/**
 * The security groups of {@code courier.producer.*}: {@code security}, {@code ssl} and {@code sasl}. Kept out of
 * {@link CourierProducerProperties} so that class stays about producer behaviour. Every property is unset by
 * default and then writes no key; raw {@code courier.producer.properties[security.protocol|ssl.*|sasl.*]}
 * entries win over them.
 */
public final class CourierSecurityProperties {

    private CourierSecurityProperties() {
    }

    /** {@code courier.producer.security.*}. */
    public static class Security {

        /**
         * Protocol used to talk to the brokers: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. Engine default:
         * PLAINTEXT, or SSL when ssl.bundle is set.
         */
        private String protocol;

        public String getProtocol() {
            return protocol;
        }

        public void setProtocol(String protocol) {
            this.protocol = protocol;
        }
    }

    /** {@code courier.producer.ssl.*}. */
    public static class Ssl {

        /**
         * Name of the Spring Boot SSL bundle (spring.ssl.bundle.jks.* or spring.ssl.bundle.pem.*) whose trust and
         * key material TLS connections use. A bundle reloaded on update reaches new connections.
         */
        private String bundle;

        public String getBundle() {
            return bundle;
        }

        public void setBundle(String bundle) {
            this.bundle = bundle;
        }
    }

    /** {@code courier.producer.sasl.*}: builds sasl.mechanism, sasl.jaas.config and the OAuth token endpoint. */
    public static class Sasl {

        /**
         * SASL mechanism: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER. Default: PLAIN when a username is
         * set, OAUTHBEARER when an OAuth token endpoint is set.
         */
        private String mechanism;

        /** User name for PLAIN and SCRAM. */
        private String username;

        /** Password for PLAIN and SCRAM. */
        private String password;

        private final OAuth oauth = new OAuth();

        public String getMechanism() {
            return mechanism;
        }

        public void setMechanism(String mechanism) {
            this.mechanism = mechanism;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public OAuth getOauth() {
            return oauth;
        }

        /** Never shows the password. */
        @Override
        public String toString() {
            return "Sasl{mechanism=" + mechanism + ", username=" + username
                    + ", password=" + (password == null ? null : "[hidden]") + ", oauth=" + oauth + "}";
        }
    }

    /** {@code courier.producer.sasl.oauth.*}: OAUTHBEARER through an OIDC token endpoint (client credentials). */
    public static class OAuth {

        /** URL of the OIDC token endpoint (client credentials grant). */
        private String tokenEndpoint;

        /** OAuth client id. */
        private String clientId;

        /** OAuth client secret. */
        private String clientSecret;

        /** Scope to request, if the identity provider needs one. */
        private String scope;

        public String getTokenEndpoint() {
            return tokenEndpoint;
        }

        public void setTokenEndpoint(String tokenEndpoint) {
            this.tokenEndpoint = tokenEndpoint;
        }

        public String getClientId() {
            return clientId;
        }

        public void setClientId(String clientId) {
            this.clientId = clientId;
        }

        public String getClientSecret() {
            return clientSecret;
        }

        public void setClientSecret(String clientSecret) {
            this.clientSecret = clientSecret;
        }

        public String getScope() {
            return scope;
        }

        public void setScope(String scope) {
            this.scope = scope;
        }

        /** Never shows the client secret. */
        @Override
        public String toString() {
            return "OAuth{tokenEndpoint=" + tokenEndpoint + ", clientId=" + clientId + ", clientSecret="
                    + (clientSecret == null ? null : "[hidden]") + ", scope=" + scope + "}";
        }
    }
}
