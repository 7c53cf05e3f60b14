package dev.courier.producer.spring.autoconfigure;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.Environment;

/**
 * Turns a refused producer configuration into a startup report that names the property, the value as the
 * user wrote it, where it was written, and what is allowed.
 */
class InvalidProducerConfigurationFailureAnalyzer
        extends AbstractFailureAnalyzer<InvalidProducerConfigurationException> {

    private final Environment environment;

    InvalidProducerConfigurationFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidProducerConfigurationException cause) {
        StringBuilder description = new StringBuilder("Invalid Courier producer configuration:\n\n");
        ConfigurationProperty written = cause.property() == null ? null : find(cause.property());
        if (cause.property() != null) {
            description.append("    Property: ").append(cause.property()).append('\n');
        }
        description.append("    Value:    ").append(value(cause, written)).append('\n');
        Origin origin = written != null ? written.getOrigin() : null;
        if (origin != null) {
            description.append("    Origin:   ").append(origin).append('\n');
        }
        description.append("    Reason:   ").append(cause.reason());
        if (cause.kafkaKey() != null) {
            description.append(" (Kafka producer key ").append(cause.kafkaKey()).append(')');
        }
        String action = cause.property() != null
                ? (cause.notSet() ? "Set " : "Update ") + cause.property() + " in your application's configuration."
                : "Check the courier.producer.* properties, a CourierConnectionDetails bean (for where to connect) "
                        + "and any ProducerConfigCustomizer beans that set "
                        + (cause.kafkaKey() != null ? cause.kafkaKey() : "the producer configuration") + ".";
        return new FailureAnalysis(description.toString(), action, cause);
    }

    /**
     * The value as written when it was, else as the engine saw it; a refused engine default says so. Secrets
     * (passwords, client secrets, JAAS lines, private keys) are never shown.
     */
    private static String value(InvalidProducerConfigurationException cause, ConfigurationProperty written) {
        if (isSecret(cause.property()) || isSecret(cause.kafkaKey())) {
            return "[hidden]";
        }
        if (written != null) {
            return "\"" + written.getValue() + "\"";
        }
        if (cause.value() == null) {
            return "(not set)";
        }
        return cause.notSet() ? "(not set; the engine's default is \"" + cause.value() + "\")"
                : "\"" + cause.value() + "\"";
    }

    static boolean isSecret(String name) {
        if (name == null) {
            return false;
        }
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return n.contains("password") || n.contains("secret") || n.contains("jaas") || n.endsWith(".key")
                || n.endsWith(".key]") || n.equals(CourierProducerProperties.PREFIX + ".sasl");
    }

    private ConfigurationProperty find(String property) {
        if (environment == null || !ConfigurationPropertyName.isValid(property)) {
            return null;
        }
        ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty found = source.getConfigurationProperty(name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
