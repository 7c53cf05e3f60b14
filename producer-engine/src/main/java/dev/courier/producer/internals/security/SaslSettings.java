package dev.courier.producer.internals.security;

import dev.courier.producer.ProducerConfig;
import dev.courier.producer.errors.ConfigException;
import java.util.List;

/**
 * The SASL part of the configuration, validated at construction: the mechanism, the JAAS line it
 * needs, and the options that mechanism reads. {@link #toString()} shows no option value, because
 * JAAS options carry passwords and client secrets.
 */
public final class SaslSettings {

    /** The mechanisms this client implements. */
    public static final List<String> SUPPORTED_MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512",
            "OAUTHBEARER", "GSSAPI");

    private static final String PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
    private static final String SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";
    private static final String OAUTH_MODULE = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule";
    private static final String KERBEROS_MODULE = "com.sun.security.auth.module.Krb5LoginModule";

    private final String mechanism;
    private final JaasConfig jaas;
    private final String tokenEndpointUrl;
    private final long loginConnectTimeoutMs;
    private final long loginReadTimeoutMs;
    private final String kerberosServiceName;

    private SaslSettings(String mechanism, JaasConfig jaas, String tokenEndpointUrl, long loginConnectTimeoutMs,
                         long loginReadTimeoutMs, String kerberosServiceName) {
        this.mechanism = mechanism;
        this.jaas = jaas;
        this.tokenEndpointUrl = tokenEndpointUrl;
        this.loginConnectTimeoutMs = loginConnectTimeoutMs;
        this.loginReadTimeoutMs = loginReadTimeoutMs;
        this.kerberosServiceName = kerberosServiceName;
    }

    /** These settings with the token endpoint's connect and read timeouts (sasl.login.*.timeout.ms). */
    public SaslSettings withLoginTimeouts(long connectTimeoutMs, long readTimeoutMs) {
        return new SaslSettings(mechanism, jaas, tokenEndpointUrl, connectTimeoutMs, readTimeoutMs,
                kerberosServiceName);
    }

    /**
     * These settings with {@code sasl.kerberos.service.name} (else the JAAS option {@code serviceName}, as Kafka
     * reads it); required for GSSAPI, ignored by the other mechanisms.
     *
     * @throws ConfigException when GSSAPI has no service name
     */
    public SaslSettings withKerberosServiceName(Object value) {
        String name = value == null || value.toString().isBlank() ? jaas.option("serviceName") : value.toString().trim();
        if (mechanism.equals("GSSAPI") && (name == null || name.isBlank())) {
            throw new ConfigException(ProducerConfig.SASL_KERBEROS_SERVICE_NAME, null,
                    "is required for sasl.mechanism=GSSAPI: the Kerberos service name the brokers run as, e.g. kafka");
        }
        return new SaslSettings(mechanism, jaas, tokenEndpointUrl, loginConnectTimeoutMs, loginReadTimeoutMs, name);
    }

    /** The brokers' Kerberos service name (GSSAPI), or null. */
    public String kerberosServiceName() {
        return kerberosServiceName;
    }

    public long loginConnectTimeoutMs() {
        return loginConnectTimeoutMs;
    }

    public long loginReadTimeoutMs() {
        return loginReadTimeoutMs;
    }

    /**
     * Validates the SASL keys for a SASL_* security protocol.
     *
     * @param mechanismValue   {@code sasl.mechanism} as given, or null for the default GSSAPI
     * @param jaasValue        {@code sasl.jaas.config} as given, or null
     * @param tokenEndpointUrl {@code sasl.oauthbearer.token.endpoint.url}, or null
     * @throws ConfigException naming the key, never quoting the JAAS line
     */
    public static SaslSettings parse(Object mechanismValue, Object jaasValue, Object tokenEndpointUrl) {
        String mechanism = mechanismValue == null ? "GSSAPI" : mechanismValue.toString().trim();
        if (!SUPPORTED_MECHANISMS.contains(mechanism)) {
            throw new ConfigException(ProducerConfig.SASL_MECHANISM, mechanism, "must be one of "
                    + SUPPORTED_MECHANISMS);
        }
        if (jaasValue == null || jaasValue.toString().isBlank()) {
            throw new ConfigException(ProducerConfig.SASL_JAAS_CONFIG, null,
                    "is required for sasl.mechanism=" + mechanism + ", e.g. " + example(mechanism));
        }
        JaasConfig jaas;
        try {
            jaas = JaasConfig.parse(jaasValue.toString());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ProducerConfig.SASL_JAAS_CONFIG, "(hidden)", e.getMessage());
        }
        String url = tokenEndpointUrl == null || tokenEndpointUrl.toString().isBlank() ? null
                : tokenEndpointUrl.toString().trim();
        String expectedModule = switch (mechanism) {
            case "PLAIN" -> PLAIN_MODULE;
            case "OAUTHBEARER" -> OAUTH_MODULE;
            case "GSSAPI" -> KERBEROS_MODULE;
            default -> SCRAM_MODULE;
        };
        if (!jaas.loginModule().equals(expectedModule)) {
            throw new ConfigException(ProducerConfig.SASL_JAAS_CONFIG, "(hidden)", "names login module "
                    + jaas.loginModule() + ", but sasl.mechanism=" + mechanism + " needs " + expectedModule);
        }
        switch (mechanism) {
            case "OAUTHBEARER" -> {
                if (url != null) {
                    requireOption(jaas, "clientId", mechanism);
                    requireOption(jaas, "clientSecret", mechanism);
                    if (!url.startsWith("http://") && !url.startsWith("https://")) {
                        throw new ConfigException(ProducerConfig.SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL, url,
                                "must be an http:// or https:// URL");
                    }
                } else if (jaas.option("unsecuredLoginStringClaim_"
                        + jaas.options().getOrDefault("unsecuredLoginPrincipalClaimName", "sub")) == null) {
                    throw new ConfigException(ProducerConfig.SASL_JAAS_CONFIG, "(hidden)",
                            "needs either sasl.oauthbearer.token.endpoint.url (with clientId and clientSecret options) "
                                    + "or the unsecuredLoginStringClaim_sub option for unsecured development tokens");
                }
            }
            case "GSSAPI" -> {
                // the keytab, principal or ticket cache options are the login module's to check
            }
            default -> {
                requireOption(jaas, "username", mechanism);
                requireOption(jaas, "password", mechanism);
            }
        }
        return new SaslSettings(mechanism, jaas, url, 10_000, 10_000, null);
    }

    private static void requireOption(JaasConfig jaas, String option, String mechanism) {
        if (jaas.option(option) == null || jaas.option(option).isEmpty()) {
            throw new ConfigException(ProducerConfig.SASL_JAAS_CONFIG, "(hidden)",
                    "needs option " + option + " for sasl.mechanism=" + mechanism);
        }
    }

    private static String example(String mechanism) {
        return switch (mechanism) {
            case "PLAIN" -> PLAIN_MODULE + " required username=\"...\" password=\"...\";";
            case "OAUTHBEARER" -> OAUTH_MODULE + " required unsecuredLoginStringClaim_sub=\"...\";";
            case "GSSAPI" -> KERBEROS_MODULE + " required useKeyTab=true keyTab=\"...\" principal=\"...\";";
            default -> SCRAM_MODULE + " required username=\"...\" password=\"...\";";
        };
    }

    public String mechanism() {
        return mechanism;
    }

    public JaasConfig jaas() {
        return jaas;
    }

    /** The OIDC token endpoint, or null for unsecured OAUTHBEARER tokens (and other mechanisms). */
    public String tokenEndpointUrl() {
        return tokenEndpointUrl;
    }

    @Override
    public String toString() {
        return "SaslSettings(mechanism=" + mechanism + ", " + jaas
                + (tokenEndpointUrl == null ? "" : ", tokenEndpoint=" + tokenEndpointUrl)
                + (kerberosServiceName == null ? "" : ", serviceName=" + kerberosServiceName) + ")";
    }
}
