package dev.courier.producer.internals.network;

/**
 * Settings of a {@link NetworkClient}; all durations in milliseconds.
 *
 * @param retryBackoffMs    carried for the sender (produce retries); the client itself does not use it
 * @param retryBackoffMaxMs carried for the sender
 */
public record NetworkClientConfig(String clientId, int maxInFlightRequestsPerConnection, long reconnectBackoffMs,
                                  long reconnectBackoffMaxMs, int requestTimeoutMs,
                                  long socketConnectionSetupTimeoutMs, long socketConnectionSetupTimeoutMaxMs,
                                  long connectionsMaxIdleMs, long retryBackoffMs, long retryBackoffMaxMs,
                                  boolean allowAutoTopicCreation, String clientSoftwareName,
                                  String clientSoftwareVersion) {

    public NetworkClientConfig {
        if (maxInFlightRequestsPerConnection < 1) {
            throw new IllegalArgumentException("maxInFlightRequestsPerConnection must be >= 1");
        }
    }

    /** The Kafka producer defaults. */
    public static NetworkClientConfig defaults(String clientId) {
        return new NetworkClientConfig(clientId, 5, 50, 1_000, 30_000, 10_000, 30_000, 540_000, 100, 1_000,
                true, "courier-java", "0.1.0");
    }

    public NetworkClientConfig withRequestTimeoutMs(int ms) {
        return new NetworkClientConfig(clientId, maxInFlightRequestsPerConnection, reconnectBackoffMs,
                reconnectBackoffMaxMs, ms, socketConnectionSetupTimeoutMs, socketConnectionSetupTimeoutMaxMs,
                connectionsMaxIdleMs, retryBackoffMs, retryBackoffMaxMs, allowAutoTopicCreation, clientSoftwareName,
                clientSoftwareVersion);
    }

    public NetworkClientConfig withMaxInFlightRequestsPerConnection(int max) {
        return new NetworkClientConfig(clientId, max, reconnectBackoffMs, reconnectBackoffMaxMs, requestTimeoutMs,
                socketConnectionSetupTimeoutMs, socketConnectionSetupTimeoutMaxMs, connectionsMaxIdleMs,
                retryBackoffMs, retryBackoffMaxMs, allowAutoTopicCreation, clientSoftwareName, clientSoftwareVersion);
    }

    public NetworkClientConfig withReconnectBackoff(long ms, long maxMs) {
        return new NetworkClientConfig(clientId, maxInFlightRequestsPerConnection, ms, maxMs, requestTimeoutMs,
                socketConnectionSetupTimeoutMs, socketConnectionSetupTimeoutMaxMs, connectionsMaxIdleMs,
                retryBackoffMs, retryBackoffMaxMs, allowAutoTopicCreation, clientSoftwareName, clientSoftwareVersion);
    }

    public NetworkClientConfig withConnectionSetupTimeout(long ms, long maxMs) {
        return new NetworkClientConfig(clientId, maxInFlightRequestsPerConnection, reconnectBackoffMs,
                reconnectBackoffMaxMs, requestTimeoutMs, ms, maxMs, connectionsMaxIdleMs, retryBackoffMs,
                retryBackoffMaxMs, allowAutoTopicCreation, clientSoftwareName, clientSoftwareVersion);
    }

    public NetworkClientConfig withConnectionsMaxIdleMs(long ms) {
        return new NetworkClientConfig(clientId, maxInFlightRequestsPerConnection, reconnectBackoffMs,
                reconnectBackoffMaxMs, requestTimeoutMs, socketConnectionSetupTimeoutMs,
                socketConnectionSetupTimeoutMaxMs, ms, retryBackoffMs, retryBackoffMaxMs, allowAutoTopicCreation,
                clientSoftwareName, clientSoftwareVersion);
    }

    public NetworkClientConfig withAllowAutoTopicCreation(boolean allow) {
        return new NetworkClientConfig(clientId, maxInFlightRequestsPerConnection, reconnectBackoffMs,
                reconnectBackoffMaxMs, requestTimeoutMs, socketConnectionSetupTimeoutMs,
                socketConnectionSetupTimeoutMaxMs, connectionsMaxIdleMs, retryBackoffMs, retryBackoffMaxMs, allow,
                clientSoftwareName, clientSoftwareVersion);
    }
}
