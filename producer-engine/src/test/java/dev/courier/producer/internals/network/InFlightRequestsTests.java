package dev.courier.producer.internals.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.internals.network.InFlightRequests.InFlight;
import dev.courier.producer.internals.network.InFlightRequests.Kind;
import dev.courier.producer.internals.protocol.ApiKey;
import dev.courier.producer.internals.protocol.ApiVersionsRequest;
import dev.courier.producer.internals.protocol.RequestHeader;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The request timeouts, which skip their scans while no deadline can have passed. */
class InFlightRequestsTests {

    private final InFlightRequests requests = new InFlightRequests(5);
    private int correlationId;

    private InFlight add(String node, long sentMs, int timeoutMs) {
        ClientRequest request = new ClientRequest(node, new ApiVersionsRequest("courier", "test"), sentMs, true,
                timeoutMs, null);
        InFlight inFlight = new InFlight(request, new RequestHeader(ApiKey.API_VERSIONS, (short) 3, correlationId++,
                "client"), new NetworkSend(node, new ByteBuffer[] {ByteBuffer.allocate(4)}), sentMs, Kind.USER);
        requests.add(inFlight);
        return inFlight;
    }

    @Test
    void nothingInFlightMeansNoTimeout() {
        assertThat(requests.nextTimeoutDelayMs(0)).isEqualTo(Long.MAX_VALUE);
        assertThat(requests.nodesWithTimedOutRequests(1_000_000)).isEmpty();
    }

    @Test
    void aRequestTimesOutOnceItsDeadlineHasPassed() {
        add("1", 100, 1000);
        assertThat(requests.nextTimeoutDelayMs(100)).isEqualTo(1001);
        assertThat(requests.nodesWithTimedOutRequests(1100)).isEmpty();
        assertThat(requests.nodesWithTimedOutRequests(1101)).containsExactly("1");
    }

    @Test
    void aLaterRequestWithAShorterTimeoutBringsTheDeadlineForward() {
        add("1", 0, 10_000);
        assertThat(requests.nextTimeoutDelayMs(0)).isEqualTo(10_001);
        add("2", 10, 100);
        assertThat(requests.nextTimeoutDelayMs(10)).isEqualTo(101);
        assertThat(requests.nodesWithTimedOutRequests(111)).containsExactly("2");
    }

    @Test
    void afterTheEarliestRequestIsAnsweredTheNextDeadlineIsTheRemainingOnes() {
        add("1", 0, 100);
        add("1", 50, 1000);
        assertThat(requests.nextTimeoutDelayMs(0)).isEqualTo(101);
        requests.completeNext("1");

        assertThat(requests.nodesWithTimedOutRequests(101)).as("the answered request no longer counts").isEmpty();
        assertThat(requests.nextTimeoutDelayMs(101)).isEqualTo(1050 - 101 + 1);
        assertThat(requests.nodesWithTimedOutRequests(1050)).isEmpty();
        assertThat(requests.nodesWithTimedOutRequests(1051)).containsExactly("1");
    }

    @Test
    void aStaleDeadlineNeverHidesALaterTimeout() {
        add("1", 0, 100);
        requests.completeNext("1");
        add("1", 200, 100);
        assertThat(requests.nodesWithTimedOutRequests(300)).isEmpty();
        assertThat(requests.nodesWithTimedOutRequests(301)).containsExactly("1");
        assertThat(requests.nextTimeoutDelayMs(301)).isZero();
    }
}
