package dev.courier.producer.internals.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.internals.network.InFlightRequests.InFlight;
import dev.courier.producer.internals.network.InFlightRequests.Kind;
import dev.courier.producer.internals.protocol.ApiKey;
import dev.courier.producer.internals.protocol.ApiVersionsRequest;
import dev.courier.producer.internals.protocol.RequestHeader;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The connections.max.idle.ms scan, which skips polls while no connection can be idle yet. */
class IdleConnectionsTests {

    private static final long MAX_IDLE_MS = 1_000;

    private final InFlightRequests inFlight = new InFlightRequests(5);
    private final ConnectionStates states = new ConnectionStates(50, 1_000, 10_000, 30_000);
    private final IdleConnections idle = new IdleConnections(MAX_IDLE_MS, inFlight, states);

    private void readyConnection(String id, long nowMs) {
        states.connecting(id, nowMs);
        states.ready(id);
        idle.touch(id, nowMs);
    }

    private void sendRequest(String id, long nowMs) {
        ClientRequest request = new ClientRequest(id, new ApiVersionsRequest("courier", "test"), nowMs, true,
                30_000, null);
        inFlight.add(new InFlight(request, new RequestHeader(ApiKey.API_VERSIONS, (short) 3, 0, "client"),
                new NetworkSend(id, new ByteBuffer[] {ByteBuffer.allocate(4)}), nowMs, Kind.USER));
    }

    @Test
    void aConnectionIsIdleOnlyOnceUnusedForLongerThanTheMaximum() {
        readyConnection("1", 0);
        assertThat(idle.removeIdle(MAX_IDLE_MS)).isEmpty();
        assertThat(idle.removeIdle(MAX_IDLE_MS + 1)).containsExactly("1");
        assertThat(idle.removeIdle(10 * MAX_IDLE_MS)).as("no longer tracked").isEmpty();
    }

    @Test
    void activityPostponesIdleness() {
        readyConnection("1", 0);
        idle.removeIdle(1); // a scan: the next one is not due before 1000
        idle.touch("1", 900);
        assertThat(idle.removeIdle(1_001)).isEmpty();
        assertThat(idle.removeIdle(1_900)).isEmpty();
        assertThat(idle.removeIdle(1_901)).containsExactly("1");
    }

    @Test
    void aBusyConnectionPastItsDeadlineIsClosedOnceItsRequestsAreAnswered() {
        readyConnection("1", 0);
        sendRequest("1", 0);
        assertThat(idle.removeIdle(2_000)).as("a request in flight").isEmpty();
        inFlight.completeNext("1");
        assertThat(idle.removeIdle(2_001)).as("scanned again although no activity moved a deadline")
                .containsExactly("1");
    }

    @Test
    void aConnectionThatIsNotReadyIsLeftToTheSetupTimeout() {
        states.connecting("1", 0);
        idle.touch("1", 0);
        assertThat(idle.removeIdle(5_000)).isEmpty();
    }

    @Test
    void aRemovedConnectionIsNotReported() {
        readyConnection("1", 0);
        idle.remove("1");
        assertThat(idle.removeIdle(5_000)).isEmpty();
    }
}
