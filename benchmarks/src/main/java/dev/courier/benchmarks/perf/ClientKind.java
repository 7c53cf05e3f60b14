package dev.courier.benchmarks.perf;

/** The two producers under test. */
public enum ClientKind {
    COURIER("Courier"),
    KAFKA("kafka-clients");

    private final String displayName;

    ClientKind(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}
