package dev.courier.producer.spring.autoconfigure;

import dev.courier.producer.errors.ConfigException;

/**
 * The producer refused its configuration; says which {@code courier.producer.*} property to fix.
 * Reported at startup by {@link InvalidProducerConfigurationFailureAnalyzer}.
 */
public class InvalidProducerConfigurationException extends RuntimeException {

    private final String property;
    private final String kafkaKey;
    private final transient Object value;
    private final String reason;

    /**
     * @param property the property to change, or null when the key was set by a customizer or is an engine rule
     * @param kafkaKey the engine's key, or null when the problem spans several keys
     * @param value    the value the engine saw
     * @param reason   what is allowed
     */
    public InvalidProducerConfigurationException(String property, String kafkaKey, Object value, String reason,
                                                 ConfigException cause) {
        super(cause.getMessage() + (property != null ? " (property " + property + ")" : ""), cause);
        this.property = property;
        this.kafkaKey = kafkaKey;
        this.value = value;
        this.reason = reason;
    }

    /** Builds the exception for an engine rejection, naming the property that carried the key. */
    static InvalidProducerConfigurationException from(ConfigException cause, CourierProducerProperties properties) {
        String key = cause.key();
        String prefix = "Invalid value " + cause.value() + " for configuration " + key + ": ";
        String message = cause.getMessage();
        String reason = key != null && message != null && message.startsWith(prefix)
                ? message.substring(prefix.length()) : message;
        return new InvalidProducerConfigurationException(properties.propertyNameFor(key), key, cause.value(), reason,
                cause);
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
}
