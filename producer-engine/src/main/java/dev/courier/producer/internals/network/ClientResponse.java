package dev.courier.producer.internals.network;

/**
 * How a {@link ClientRequest} ended: a parsed body, a disconnect, a client-side timeout, a version
 * the broker cannot take, or (acks=0) just "written". Created and consumed on the sender thread.
 */
public final class ClientResponse {

    private final ClientRequest request;
    private final long receivedTimeMs;
    private final boolean disconnected;
    private final boolean timedOut;
    private final RuntimeException versionMismatch;
    private final Object body;

    ClientResponse(ClientRequest request, long receivedTimeMs, boolean disconnected, boolean timedOut,
                   RuntimeException versionMismatch, Object body) {
        this.request = request;
        this.receivedTimeMs = receivedTimeMs;
        this.disconnected = disconnected;
        this.timedOut = timedOut;
        this.versionMismatch = versionMismatch;
        this.body = body;
    }

    public ClientRequest request() {
        return request;
    }

    public String destination() {
        return request.destination();
    }

    /** The version the request was sent with, or -1 when it was never sent. */
    public short apiVersion() {
        return request.apiVersion();
    }

    /** The parsed response record (e.g. {@code ProduceResponse}); null unless the broker answered. */
    public Object body() {
        return body;
    }

    public boolean hasResponse() {
        return body != null;
    }

    /** The connection was lost (or failed a protocol check) before the response arrived. */
    public boolean wasDisconnected() {
        return disconnected;
    }

    /** No response within the request timeout; the connection was closed. Also {@link #wasDisconnected()}. */
    public boolean wasTimedOut() {
        return timedOut;
    }

    /** Non-null when the request could not be sent because the broker speaks no usable version. */
    public RuntimeException versionMismatch() {
        return versionMismatch;
    }

    public long receivedTimeMs() {
        return receivedTimeMs;
    }

    /** From the request's creation to its completion. */
    public long latencyMs() {
        return receivedTimeMs - request.createdTimeMs();
    }

    void onComplete() {
        if (request.handler() != null) {
            request.handler().onComplete(this);
        }
    }

    @Override
    public String toString() {
        return "ClientResponse(" + request + ", disconnected " + disconnected + ", timedOut " + timedOut
                + (versionMismatch != null ? ", versionMismatch " + versionMismatch.getMessage() : "")
                + ", body " + (body == null ? "none" : body.getClass().getSimpleName()) + ")";
    }
}
