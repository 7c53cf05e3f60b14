package dev.courier.producer.errors;

/** A configuration that cannot work, reported at construction with the key, the value and what is allowed. */
public class ConfigException extends CourierException {

    private final String key;
    private final transient Object value;

    public ConfigException(String key, Object value, String allowed) {
        super("Invalid value " + value + " for configuration " + key + ": " + allowed);
        this.key = key;
        this.value = value;
    }

    public ConfigException(String message) {
        super(message);
        this.key = null;
        this.value = null;
    }

    /** The offending configuration key, or null when the problem spans several keys. */
    public String key() {
        return key;
    }

    /** The offending value as given, or null. */
    public Object value() {
        return value;
    }
}
