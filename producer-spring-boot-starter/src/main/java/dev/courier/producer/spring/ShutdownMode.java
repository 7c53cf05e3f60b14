package dev.courier.producer.spring;

/** How a {@link ManagedProducer} closes its producer when the application context stops. */
public enum ShutdownMode {

    /**
     * Refuse new sends, deliver everything already accepted, wait up to the shutdown timeout, then
     * fail whatever is left.
     */
    GRACEFUL,

    /** Refuse new sends and fail every pending record at once, without waiting for the brokers. */
    FORCED
}
