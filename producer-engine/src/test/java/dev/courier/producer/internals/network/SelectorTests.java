package dev.courier.producer.internals.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SelectorTests {

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<NetworkReceive> received = new ArrayList<>();
    private final List<NetworkSend> sent = new ArrayList<>();

    @AfterEach
    void closeResources() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    @Test
    void connectsAndReceivesTheFrameItSentBackFromAnEchoServer() throws Exception {
        LoopbackServer server = track(LoopbackServer.echo());
        Selector selector = track(new Selector(1024, -1, -1));
        selector.connect("a", server.address());
        pollUntil(selector, () -> selector.isChannelReady("a"));

        selector.send(new NetworkSend("a", frame(bytes(10, 1))));
        pollUntil(selector, () -> received.size() == 1);

        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).size()).isEqualTo(14);
        assertThat(received.get(0).source()).isEqualTo("a");
        assertThat(toArray(received.get(0).payload())).isEqualTo(bytes(10, 1));
    }

    @Test
    void writesALargeSendOverManyPollsWhenTheSocketBufferIsTiny() throws Exception {
        LoopbackServer server = track(LoopbackServer.echo());
        Selector selector = track(new Selector(8 * 1024 * 1024, 2048, 2048));
        selector.connect("a", server.address());
        pollUntil(selector, () -> selector.isChannelReady("a"));

        byte[] payload = bytes(4 * 1024 * 1024, 7);
        selector.send(new NetworkSend("a", frame(payload)));
        AtomicBoolean sawPartialWrite = new AtomicBoolean();
        pollUntil(selector, () -> {
            if (sent.isEmpty() && selector.hasPendingSend("a")) {
                sawPartialWrite.set(true);
            }
            return received.size() == 1;
        });

        assertThat(sawPartialWrite).isTrue();
        assertThat(selector.hasPendingSend("a")).isFalse();
        assertThat(toArray(received.get(0).payload())).isEqualTo(payload);
    }

    @Test
    void deliversManySmallFramesInOrder() throws Exception {
        LoopbackServer server = track(LoopbackServer.echo());
        Selector selector = track(new Selector(1024, -1, -1));
        selector.connect("a", server.address());
        pollUntil(selector, () -> selector.isChannelReady("a"));

        int count = 500;
        for (int i = 0; i < count; i++) {
            selector.send(new NetworkSend("a", frame(ByteBuffer.allocate(4).putInt(0, i).array())));
            int expectedSends = i + 1;
            pollUntil(selector, () -> sent.size() == expectedSends);
        }
        pollUntil(selector, () -> received.size() == count);

        for (int i = 0; i < count; i++) {
            assertThat(received.get(i).payload().getInt(0)).isEqualTo(i);
        }
    }

    @Test
    void assemblesAFrameSplitAtEveryByteBoundary() throws Exception {
        LoopbackServer server = track(LoopbackServer.manual());
        Selector selector = track(new Selector(1024, -1, -1));
        selector.connect("a", server.address());
        Socket peer = server.nextConnection();
        pollUntil(selector, () -> selector.isChannelReady("a"));

        byte[] payload = bytes(9, 3);
        byte[] wire = concat(frame(payload));
        for (int split = 1; split < wire.length; split++) {
            received.clear();
            LoopbackServer.write(peer, wire, 0, split);
            selector.poll(5_000);
            assertThat(selector.completedReceives()).isEmpty();
            LoopbackServer.write(peer, wire, split, wire.length - split);
            pollUntil(selector, () -> received.size() == 1);
            assertThat(toArray(received.get(0).payload())).as("split at %d", split).isEqualTo(payload);
        }
    }

    @Test
    void readsSeveralFramesArrivingInOneSegment() throws Exception {
        LoopbackServer server = track(LoopbackServer.manual());
        Selector selector = track(new Selector(1024, -1, -1));
        selector.connect("a", server.address());
        Socket peer = server.nextConnection();
        pollUntil(selector, () -> selector.isChannelReady("a"));

        byte[] wire = concat(frame(bytes(3, 1)), frame(new byte[0]), frame(bytes(5, 2)));
        LoopbackServer.write(peer, wire, 0, wire.length);
        pollUntil(selector, () -> received.size() == 3);

        assertThat(toArray(received.get(0).payload())).isEqualTo(bytes(3, 1));
        assertThat(received.get(1).payload().remaining()).isZero();
        assertThat(toArray(received.get(2).payload())).isEqualTo(bytes(5, 2));
    }

    @Test
    void disconnectsAPeerAnnouncingAFrameLargerThanTheLimit() throws Exception {
        LoopbackServer server = track(LoopbackServer.manual());
        Selector selector = track(new Selector(100, -1, -1));
        selector.connect("a", server.address());
        Socket peer = server.nextConnection();
        pollUntil(selector, () -> selector.isChannelReady("a"));

        byte[] header = ByteBuffer.allocate(4).putInt(101).array();
        LoopbackServer.write(peer, header, 0, 4);
        List<IOException> errors = new ArrayList<>();
        pollUntil(selector, () -> {
            errors.addAll(selector.disconnected().values());
            return !errors.isEmpty();
        });

        assertThat(errors.get(0)).isInstanceOf(InvalidReceiveException.class);
        assertThat(selector.isChannelReady("a")).isFalse();
        assertThat(received).isEmpty();
    }

    @Test
    void reportsADisconnectWhenThePeerClosesTheConnection() throws Exception {
        LoopbackServer server = track(LoopbackServer.manual());
        Selector selector = track(new Selector(100, -1, -1));
        selector.connect("a", server.address());
        Socket peer = server.nextConnection();
        pollUntil(selector, () -> selector.isChannelReady("a"));

        peer.close();
        List<IOException> errors = new ArrayList<>();
        pollUntil(selector, () -> {
            errors.addAll(selector.disconnected().values());
            return !errors.isEmpty();
        });

        assertThat(errors.get(0)).isInstanceOf(EOFException.class);
        assertThat(selector.isRegistered("a")).isFalse();
    }

    @Test
    void reportsADisconnectWhenConnectingToAClosedPort() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Selector selector = track(new Selector(100, -1, -1));
        selector.connect("a", new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        List<String> disconnected = new ArrayList<>();
        pollUntil(selector, () -> {
            disconnected.addAll(selector.disconnected().keySet());
            return !disconnected.isEmpty();
        });

        assertThat(disconnected).containsExactly("a");
        assertThat(selector.isRegistered("a")).isFalse();
    }

    @Test
    void throwsAtOnceForAnUnresolvableAddress() {
        Selector selector = track(new Selector(100, -1, -1));
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("no-such-host.invalid", 9092);

        assertThatThrownBy(() -> selector.connect("a", unresolved)).isInstanceOf(IOException.class);
        assertThat(selector.isRegistered("a")).isFalse();
    }

    @Test
    void refusesASecondSendWhileTheFirstIsPendingAndASendToAnUnknownConnection() throws Exception {
        LoopbackServer server = track(LoopbackServer.manual());
        Selector selector = track(new Selector(100, -1, -1));
        selector.connect("a", server.address());
        pollUntil(selector, () -> selector.isChannelReady("a"));

        // Larger than the socket buffers of both ends, and the server does not read: the send stays pending.
        selector.send(new NetworkSend("a", frame(new byte[32 * 1024 * 1024])));
        assertThat(selector.hasPendingSend("a")).isTrue();
        assertThatThrownBy(() -> selector.send(new NetworkSend("a", frame(bytes(4, 0)))))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> selector.send(new NetworkSend("b", frame(bytes(4, 0)))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSendThatFitsTheSocketIsWrittenAtOnceAndReportedByTheNextPoll() throws Exception {
        LoopbackServer server = track(LoopbackServer.manual());
        Selector selector = track(new Selector(100, -1, -1));
        selector.connect("a", server.address());
        pollUntil(selector, () -> selector.isChannelReady("a"));
        Socket peer = server.nextConnection();

        NetworkSend first = new NetworkSend("a", frame(bytes(10, 1)));
        selector.send(first);
        assertThat(selector.hasPendingSend("a")).isFalse();
        NetworkSend second = new NetworkSend("a", frame(bytes(10, 2)));
        selector.send(second);

        selector.poll(0);
        assertThat(selector.completedSends()).containsExactly(first, second);
        byte[] received = new byte[28];
        new java.io.DataInputStream(peer.getInputStream()).readFully(received);
        assertThat(received).isEqualTo(concat(frame(bytes(10, 1)), frame(bytes(10, 2))));
        selector.poll(0);
        assertThat(selector.completedSends()).isEmpty();
    }

    @Test
    void severalResponsesInOneReadOneSplitAcrossReadsAndOneLargerThanTheReadBufferAreAllCut() throws Exception {
        LoopbackServer server = track(LoopbackServer.manual());
        Selector selector = track(new Selector(Selector.READ_BUFFER_BYTES * 4, -1, -1));
        selector.connect("a", server.address());
        pollUntil(selector, () -> selector.isChannelReady("a"));
        java.io.DataOutputStream peer = new java.io.DataOutputStream(server.nextConnection().getOutputStream());
        byte[] large = bytes(Selector.READ_BUFFER_BYTES * 2 + 17, 9);

        byte[] three = concat(frame(bytes(5, 1)), frame(bytes(7, 2)), frame(bytes(3, 3)));
        peer.write(three, 0, three.length - 2); // the last frame's final two bytes come later
        peer.flush();
        pollUntil(selector, () -> received.size() >= 2);
        peer.write(three, three.length - 2, 2);
        peer.writeInt(large.length);
        peer.write(large);
        peer.flush();
        pollUntil(selector, () -> received.size() >= 4);

        assertThat(received).extracting(receive -> toArray(receive.payload()))
                .containsExactly(bytes(5, 1), bytes(7, 2), bytes(3, 3), large);
    }

    @Test
    void closingAConnectionLocallyIsNotReportedAsADisconnect() throws Exception {
        LoopbackServer server = track(LoopbackServer.echo());
        Selector selector = track(new Selector(100, -1, -1));
        selector.connect("a", server.address());
        pollUntil(selector, () -> selector.isChannelReady("a"));

        selector.close("a");
        selector.poll(0);

        assertThat(selector.disconnected()).isEmpty();
        assertThat(selector.isRegistered("a")).isFalse();
    }

    @Test
    void wakeupReturnsABlockedPollFromAnotherThread() throws Exception {
        Selector selector = track(new Selector(100, -1, -1));
        CompletableFuture<Void> polling = CompletableFuture.runAsync(() -> {
            try {
                selector.poll(Long.MAX_VALUE);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            selector.wakeup();
            return polling.isDone();
        });
        assertThat(polling).isCompleted();
    }

    @Test
    void aWakeupBeforeThePollMakesItReturnAtOnce() throws Exception {
        Selector selector = track(new Selector(100, -1, -1));
        selector.wakeup();
        selector.wakeup(); // collapses into the first
        CompletableFuture<Void> polling = CompletableFuture.runAsync(() -> {
            try {
                selector.poll(Long.MAX_VALUE);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(polling::isDone);
        assertThat(polling).isCompleted();
    }

    /**
     * Every hand-over is seen: the poller looks at {@code published} after each poll, and a waker publishes, then
     * wakes it. A lost wake-up would leave the poller blocked with an item unseen.
     */
    @Test
    void noWakeupIsLostWhenWakersRaceThePoller() throws Exception {
        Selector selector = track(new Selector(100, -1, -1));
        java.util.concurrent.atomic.AtomicInteger published = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
        int rounds = 2_000;
        Thread poller = new Thread(() -> {
            try {
                while (seen.get() < rounds) {
                    selector.poll(Long.MAX_VALUE);
                    seen.set(published.get());
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "poller");
        poller.setDaemon(true);
        poller.start();
        for (int i = 1; i <= rounds; i++) {
            published.set(i);
            selector.wakeup();
            int expected = i;
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .until(() -> seen.get() >= expected);
        }
        poller.join(30_000);
        assertThat(seen.get()).isEqualTo(rounds);
    }

    private void pollUntil(Selector selector, BooleanSupplier condition) {
        await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1)).until(() -> {
                    selector.poll(10);
                    sent.addAll(selector.completedSends());
                    received.addAll(selector.completedReceives());
                    return condition.getAsBoolean();
                });
    }

    static ByteBuffer[] frame(byte[] payload) {
        ByteBuffer size = ByteBuffer.allocate(4).putInt(0, payload.length);
        return new ByteBuffer[] {size, ByteBuffer.wrap(payload)};
    }

    private static byte[] concat(ByteBuffer[]... frames) {
        ByteBuffer out = ByteBuffer.allocate(1024);
        for (ByteBuffer[] frame : frames) {
            for (ByteBuffer buffer : frame) {
                out.put(buffer.duplicate());
            }
        }
        return toArray(out.flip());
    }

    private static byte[] bytes(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed * 31 + i);
        }
        return bytes;
    }

    static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
