package dev.courier.producer.spring.autoconfigure;

import dev.courier.producer.errors.ConfigException;
import java.util.Map;

/**
 * The producer refused its configuration; says which {@code courier.producer.*} property to fix.
 * Reported at startup by {@link InvalidProducerConfigurationFailureAnalyzer}.
 */
public class InvalidProducerConfigurationException extends RuntimeException {

    private final String property;
    private final String kafkaKey;
    private final transient Object value;
    private final String reason;
    private final boolean notSet;

    /**
     * @param property the property to change, or null when the key was set by a customizer or is an engine rule
     * @param kafkaKey the engine's key, or null when the problem spans several keys
     * @param value    the value the engine saw
     * @param reason   what is allowed
     * @param notSet   whether nothing set the key, so the value is the engine's default
     */
    public InvalidProducerConfigurationException(String property, String kafkaKey, Object value, String reason,
                                                 boolean notSet, ConfigException cause) {
        super(cause.getMessage() + (property != null
                ? " (property " + property + (notSet ? ", not set" : "") + ")" : ""), cause);
        this.property = property;
        this.kafkaKey = kafkaKey;
        this.value = value;
        this.reason = reason;
        this.notSet = notSet;
    }

    /**
     * Builds the exception for an engine rejection of {@code config}, the map the engine was given, naming
     * the property that carried the key.
     */
    static InvalidProducerConfigurationException from(ConfigException cause, CourierProducerProperties properties,
                                                      Map<String, ?> config) {
        String key = cause.key() != null ? cause.key() : keyNamedIn(cause.getMessage(), config);
        String prefix = "Invalid value " + cause.value() + " for configuration " + key + ": ";
        String message = cause.getMessage();
        String reason = key != null && message != null && message.startsWith(prefix)
                ? message.substring(prefix.length()) : message;
        boolean notSet = key != null && !config.containsKey(key);
        return new InvalidProducerConfigurationException(propertyFor(key, notSet, properties, config), key,
                cause.value(), reason, notSet, cause);
    }

    /**
     * For a security refusal that names no key (unreadable PEM text or files, for instance), the configured
     * ssl.* or sasl.* key its message mentions first, so the report can still point at a property; null when it mentions none.
     */
    private static String keyNamedIn(String message, Map<String, ?> config) {
        if (message == null) {
            return null;
        }
        String found = null;
        int foundAt = Integer.MAX_VALUE;
        for (String key : config.keySet()) {
            if (!key.startsWith("ssl.") && !key.startsWith("sasl.")) {
                continue; // rules spanning several other keys name no single property
            }
            int at = message.indexOf(key);
            boolean whole = at >= 0 && (at + key.length() == message.length()
                    || !Character.isLetterOrDigit(message.charAt(at + key.length()))
                    && message.charAt(at + key.length()) != '.');
            if (whole && (at < foundAt || at == foundAt && key.length() > found.length())) {
                found = key;
                foundAt = at;
            }
        }
        return found;
    }

    /**
     * Where the user fixes {@code key}: for a key nothing set (the engine refused its own default given the
     * other values), the property that would set it; for a key the properties set, that property; for a key
     * a customizer set or changed, none.
     */
    private static String propertyFor(String key, boolean notSet, CourierProducerProperties properties,
                                      Map<String, ?> config) {
        if (key == null) {
            return null;
        }
        if (notSet) {
            String name = properties.propertyNameFor(key);
            return name != null ? name : CourierProducerProperties.rawPropertyName(key);
        }
        Object fromProperties = properties.buildProducerConfig().get(key);
        boolean setByProperties = fromProperties != null && fromProperties.equals(config.get(key));
        return setByProperties ? properties.propertyNameFor(key) : null;
    }

    public String property() {
        return property;
    }

    public String kafkaKey() {
        return kafkaKey;
    }

    public Object value() {
        return value;
    }

    public String reason() {
        return reason;
    }

    /** Whether nothing set the key, so {@link #value()} is the engine's default (or null when it has none). */
    public boolean notSet() {
        return notSet;
    }
}
