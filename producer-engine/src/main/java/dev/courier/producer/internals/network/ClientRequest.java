package dev.courier.producer.internals.network;

import dev.courier.producer.internals.protocol.ApiKey;
import dev.courier.producer.internals.protocol.RequestBody;
import java.util.Objects;

/**
 * A request the sender hands to {@link NetworkClient#send}. The correlation id and API version are
 * filled in by the network client when it writes the request; both are -1 before that.
 * Owned by the sender thread.
 */
public final class ClientRequest {

    private final String destination;
    private final RequestBody body;
    private final long createdTimeMs;
    private final boolean expectResponse;
    private final int requestTimeoutMs;
    private final RequestCompletionHandler handler;
    private int correlationId = -1;
    private short apiVersion = -1;

    /**
     * @param destination      node id string ({@code Node.idString()})
     * @param createdTimeMs    monotonic ms; latency is measured from here
     * @param expectResponse   false for acks=0 produce requests: complete once written
     * @param requestTimeoutMs how long after it is written the request may wait for its response
     * @param handler          may be null
     */
    public ClientRequest(String destination, RequestBody body, long createdTimeMs, boolean expectResponse,
                         int requestTimeoutMs, RequestCompletionHandler handler) {
        this.destination = Objects.requireNonNull(destination, "destination");
        this.body = Objects.requireNonNull(body, "body");
        this.createdTimeMs = createdTimeMs;
        this.expectResponse = expectResponse;
        this.requestTimeoutMs = requestTimeoutMs;
        this.handler = handler;
    }

    public String destination() {
        return destination;
    }

    public RequestBody body() {
        return body;
    }

    public ApiKey apiKey() {
        return body.apiKey();
    }

    public long createdTimeMs() {
        return createdTimeMs;
    }

    public boolean expectResponse() {
        return expectResponse;
    }

    public int requestTimeoutMs() {
        return requestTimeoutMs;
    }

    public RequestCompletionHandler handler() {
        return handler;
    }

    /** The correlation id it was sent with, or -1 if not sent. */
    public int correlationId() {
        return correlationId;
    }

    /** The API version it was sent with, or -1 if not sent. */
    public short apiVersion() {
        return apiVersion;
    }

    void markSent(int correlationId, short apiVersion) {
        this.correlationId = correlationId;
        this.apiVersion = apiVersion;
    }

    @Override
    public String toString() {
        return "ClientRequest(" + body.apiKey() + " v" + apiVersion + " to " + destination
                + ", correlationId " + correlationId + ", expectResponse " + expectResponse + ")";
    }
}
