package dev.courier.producer.internals.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.errors.UnsupportedVersionException;
import dev.courier.producer.internals.metadata.Metadata;
import dev.courier.producer.internals.metadata.TestMetadata;
import dev.courier.producer.internals.protocol.ApiKey;
import dev.courier.producer.internals.protocol.InitProducerIdRequest;
import dev.courier.producer.internals.protocol.InitProducerIdResponse;
import dev.courier.producer.internals.protocol.ProduceRequest;
import dev.courier.producer.internals.util.ManualTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test fixture itself: what it answers, and when. */
class MockClientTests {

    private final ManualTime time = new ManualTime();
    private final Metadata metadata = new Metadata(100, 1000, 300_000, 300_000);
    private final MockClient client = new MockClient(time, metadata);
    private final List<ClientResponse> completed = new ArrayList<>();

    MockClientTests() {
        TestMetadata.cluster(2).topic("t", 2).applyTo(metadata, time.monotonicMs());
    }

    private ClientRequest request(int node, boolean expectResponse, int timeoutMs) {
        return new ClientRequest(Integer.toString(node), new ProduceRequest(null, (short) -1, timeoutMs, List.of()),
                time.monotonicMs(), expectResponse, timeoutMs, completed::add);
    }

    private ClientRequest initProducerId(int node) {
        return new ClientRequest(Integer.toString(node), new InitProducerIdRequest(null, Integer.MAX_VALUE, -1, (short) -1),
                time.monotonicMs(), true, 1000, completed::add);
    }

    private List<ClientResponse> poll() {
        return client.poll(0, time.monotonicMs());
    }

    @Test
    void scriptedResponsesAnswerTheNextMatchingRequestOfTheirKey() {
        InitProducerIdResponse body = new InitProducerIdResponse(0, (short) 0, 1, (short) 0);
        client.prepareResponse(ApiKey.INIT_PRODUCER_ID, r -> r.destination().equals("1"), r -> body);
        client.send(request(0, true, 1000), time.monotonicMs());
        client.send(initProducerId(0), time.monotonicMs());
        assertThat(poll()).isEmpty();

        client.send(initProducerId(1), time.monotonicMs());
        assertThat(poll()).singleElement().satisfies(r -> {
            assertThat(r.destination()).isEqualTo("1");
            assertThat(r.body()).isSameAs(body);
        });
        assertThat(completed).hasSize(1);
        assertThat(client.inFlightRequestCount()).isEqualTo(2);
        assertThat(client.requests(ApiKey.INIT_PRODUCER_ID)).hasSize(2);
        assertThat(client.pendingScripts()).isZero();
    }

    @Test
    void respondAnswersTheOldestRequestInTheNextPoll() {
        ClientRequest first = request(0, true, 1000);
        client.send(first, time.monotonicMs());
        client.send(request(1, true, 1000), time.monotonicMs());
        client.respond("answer");
        assertThat(completed).isEmpty();
        assertThat(poll()).singleElement().satisfies(r -> {
            assertThat(r.request()).isSameAs(first);
            assertThat(r.body()).isEqualTo("answer");
        });
    }

    @Test
    void aDisconnectFailsTheNodesRequestsAndBacksOff() {
        client.reconnectBackoffMs(50);
        client.send(request(0, true, 1000), time.monotonicMs());
        client.send(request(1, true, 1000), time.monotonicMs());
        client.disconnect(0);

        assertThat(poll()).singleElement().satisfies(r -> {
            assertThat(r.wasDisconnected()).isTrue();
            assertThat(r.wasTimedOut()).isFalse();
        });
        assertThat(client.ready(TestMetadata.node(0), time.monotonicMs())).isFalse();
        assertThat(client.pollDelayMs(TestMetadata.node(0), time.monotonicMs())).isEqualTo(50);
        assertThatThrownBy(() -> client.send(request(0, true, 1000), time.monotonicMs()))
                .isInstanceOf(IllegalStateException.class);
        time.sleep(50);
        assertThat(client.ready(TestMetadata.node(0), time.monotonicMs())).isTrue();
        assertThat(client.leastLoadedNode(time.monotonicMs())).isEqualTo(TestMetadata.node(0));
    }

    @Test
    void requestsTimeOutOnTheCallersClock() {
        client.send(request(0, true, 1000), time.monotonicMs());
        time.sleep(999);
        assertThat(poll()).isEmpty();
        time.sleep(1);
        assertThat(poll()).singleElement().satisfies(r -> {
            assertThat(r.wasDisconnected()).isTrue();
            assertThat(r.wasTimedOut()).isTrue();
        });
        assertThat(client.inFlightRequestCount()).isZero();
    }

    @Test
    void acksZeroCompletesWhenWrittenAndAMissingVersionCompletesWithAMismatch() {
        client.send(request(0, false, 1000), time.monotonicMs());
        assertThat(client.inFlightRequestCount()).isZero();
        assertThat(poll()).singleElement().satisfies(r -> {
            assertThat(r.hasResponse()).isFalse();
            assertThat(r.wasDisconnected()).isFalse();
            assertThat(r.versionMismatch()).isNull();
        });

        client.unsupported(ApiKey.PRODUCE);
        client.send(request(0, true, 1000), time.monotonicMs());
        assertThat(poll()).singleElement().satisfies(
                r -> assertThat(r.versionMismatch()).isInstanceOf(UnsupportedVersionException.class));
        assertThat(client.requests()).hasSize(1); // the refused one never went out
    }

    @Test
    void wakeupsAreCountedAndCloseStopsIt() {
        client.wakeup();
        client.wakeup();
        assertThat(client.wakeups()).isEqualTo(2);
        client.close();
        assertThat(client.isClosed()).isTrue();
        assertThatThrownBy(this::poll).isInstanceOf(IllegalStateException.class);
    }
}
