package dev.courier.producer.internals.network;

import dev.courier.producer.internals.network.InFlightRequests.InFlight;
import dev.courier.producer.internals.network.InFlightRequests.Kind;
import dev.courier.producer.internals.protocol.ApiKey;
import dev.courier.producer.internals.protocol.ApiVersionsRequest;
import dev.courier.producer.internals.protocol.ApiVersionsResponse;
import dev.courier.producer.internals.protocol.Errors;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ApiVersions exchange that opens each of {@link NetworkClient}'s connections, and its result: the versions
 * every later request on the connection is sent at. A new connection asks at the latest version this client
 * speaks; a broker that does not speak it answers UNSUPPORTED_VERSION with its own range, and the request is
 * asked again lower. Sender thread only.
 */
final class ApiVersionsNegotiation {

    /** How an ApiVersions answer leaves the connection. */
    enum Outcome {
        /** Versions known: the connection goes on to authentication. */
        NEGOTIATED,
        /** Asked again at a lower version (in a later poll). */
        RETRYING,
        /** The broker refused: the connection must be closed. */
        REFUSED
    }

    /** Logs under NetworkClient's name: these lines were its own, and log configurations name it. */
    private static final Logger log = LoggerFactory.getLogger(NetworkClient.class);

    private final NetworkClient client;
    private final Selector selector;
    private final InFlightRequests inFlightRequests;
    private final NetworkClientConfig config;
    /** Negotiated versions of the connections past ApiVersions (authenticating or READY). */
    private final Map<String, NodeApiVersions> negotiated = new HashMap<>();
    /** Connected nodes waiting to send ApiVersions, with the version to send. */
    private final Map<String, Short> toSend = new LinkedHashMap<>();

    ApiVersionsNegotiation(NetworkClient client, Selector selector, InFlightRequests inFlightRequests,
                           NetworkClientConfig config) {
        this.client = client;
        this.selector = selector;
        this.inFlightRequests = inFlightRequests;
        this.config = config;
    }

    /** The connection is established: its ApiVersions request goes out as soon as the channel allows. */
    void connected(String id) {
        toSend.put(id, ApiKey.API_VERSIONS.latestVersion);
    }

    /** Sends the ApiVersions requests waiting for a channel that can take them. */
    void sendRequests(long nowMs) {
        if (toSend.isEmpty()) {
            return;
        }
        var it = toSend.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Short> entry = it.next();
            String id = entry.getKey();
            if (selector.isChannelReady(id) && inFlightRequests.canSendMore(id)) {
                it.remove();
                ClientRequest request = new ClientRequest(id, new ApiVersionsRequest(config.clientSoftwareName(),
                        config.clientSoftwareVersion()), nowMs, true, config.requestTimeoutMs(), null);
                client.doSend(request, entry.getValue(), Kind.API_VERSIONS, nowMs);
            }
        }
    }

    /** The node's answer to its ApiVersions request; on {@link Outcome#REFUSED} the caller closes the connection. */
    Outcome handleResponse(InFlight request, ApiVersionsResponse response) {
        String id = request.request.destination();
        short sentVersion = request.header.apiVersion();
        Errors error = Errors.forCode(response.errorCode());
        if (error == Errors.UNSUPPORTED_VERSION && sentVersion > 0) {
            ApiVersionsResponse.ApiVersion own = response.find(ApiKey.API_VERSIONS);
            short retry = own == null ? 0 : (short) Math.min(own.maxVersion(), ApiKey.API_VERSIONS.latestVersion);
            if (retry >= sentVersion) {
                retry = 0;
            }
            log.debug("Node {} does not speak ApiVersions v{}; retrying with v{}", id, sentVersion, retry);
            toSend.put(id, retry);
            return Outcome.RETRYING;
        }
        if (error != Errors.NONE) {
            log.warn("Node {} answered ApiVersions with {}; disconnecting", id, error);
            return Outcome.REFUSED;
        }
        negotiated.put(id, new NodeApiVersions(response));
        return Outcome.NEGOTIATED;
    }

    /** What the node's connection negotiated, or null before (or without) a connection. */
    NodeApiVersions get(String id) {
        return negotiated.get(id);
    }

    /** The connection is closed: its versions, or its unsent request, are forgotten. */
    void remove(String id) {
        negotiated.remove(id);
        toSend.remove(id);
    }
}
