package dev.courier.producer.spring.autoconfigure;

import dev.courier.producer.spring.autoconfigure.CourierSecurityProperties.OAuth;
import dev.courier.producer.spring.autoconfigure.CourierSecurityProperties.Sasl;
import java.util.Locale;

/**
 * Builds {@code sasl.mechanism} and the {@code sasl.jaas.config} line from the typed SASL properties, written as
 * Kafka users write it. Values are double-quoted with backslash escapes, so quotes, backslashes and semicolons in
 * a password cannot end the option or the line early.
 */
final class SaslJaasLine {

    static final String PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
    static final String SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";
    static final String OAUTH_MODULE = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule";

    private SaslJaasLine() {
    }

    /** The mechanism as set, else the one the other properties imply (PLAIN for a username), else null. */
    static String mechanism(Sasl sasl) {
        if (sasl.getMechanism() != null) {
            return sasl.getMechanism().trim();
        }
        if (sasl.getUsername() != null) {
            return "PLAIN";
        }
        OAuth oauth = sasl.getOauth();
        return oauth.getTokenEndpoint() != null || oauth.getClientId() != null ? "OAUTHBEARER" : null;
    }

    /**
     * The JAAS line, or null when no credentials are set or the mechanism is one this cannot build a line for
     * (the engine then reports the mechanism or the missing line, naming the property).
     */
    static String of(Sasl sasl) {
        String mechanism = mechanism(sasl);
        if (mechanism == null) {
            return null;
        }
        OAuth oauth = sasl.getOauth();
        switch (mechanism.toUpperCase(Locale.ROOT)) {
            case "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512" -> {
                if (sasl.getUsername() == null && sasl.getPassword() == null) {
                    return null;
                }
                String module = mechanism.equalsIgnoreCase("PLAIN") ? PLAIN_MODULE : SCRAM_MODULE;
                StringBuilder line = new StringBuilder(module).append(" required");
                option(line, "username", sasl.getUsername());
                option(line, "password", sasl.getPassword());
                return line.append(';').toString();
            }
            case "OAUTHBEARER" -> {
                if (oauth.getClientId() == null && oauth.getClientSecret() == null && oauth.getScope() == null) {
                    return null;
                }
                StringBuilder line = new StringBuilder(OAUTH_MODULE).append(" required");
                option(line, "clientId", oauth.getClientId());
                option(line, "clientSecret", oauth.getClientSecret());
                option(line, "scope", oauth.getScope());
                return line.append(';').toString();
            }
            default -> {
                return null;
            }
        }
    }

    private static void option(StringBuilder line, String name, String value) {
        if (value == null) {
            return;
        }
        line.append(' ').append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                line.append('\\');
            }
            line.append(c);
        }
        line.append('"');
    }
}
