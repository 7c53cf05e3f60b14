package dev.courier.producer.errors;

/**
 * The broker answered with an error code. Carries Kafka's error name and code, e.g.
 * {@code NOT_ENOUGH_REPLICAS (19)}, and whether Kafka considers it retriable.
 */
public class BrokerException extends CourierException {

    private final String errorName;
    private final short errorCode;
    private final boolean retriable;

    public BrokerException(String errorName, short errorCode, boolean retriable, String message) {
        super(errorName + " (" + errorCode + ")" + (message == null || message.isEmpty() ? "" : ": " + message));
        this.errorName = errorName;
        this.errorCode = errorCode;
        this.retriable = retriable;
    }

    public String errorName() {
        return errorName;
    }

    public short errorCode() {
        return errorCode;
    }

    public boolean isRetriable() {
        return retriable;
    }
}
