package dev.courier.producer.internals.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.producer.internals.network.SslSelectorTests.TlsServer;
import dev.courier.producer.internals.security.SslFactory;
import dev.courier.producer.internals.security.SslSettings;
import dev.courier.producer.testing.TestCertificates;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link SslTransport} on its own over a loopback socket, counting the socket calls it makes. */
class SslTransportTests {

    private static final TestCertificates CERTS = TestCertificates.get();

    private final List<AutoCloseable> resources = new ArrayList<>();
    private CountingChannel io;

    @AfterEach
    void closeResources() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Test
    void aWriteThatFillsTheSocketBufferStopsThereInsteadOfRetryingAtOnce() throws Exception {
        TlsServer server = track(TlsServer.silent());
        SslTransport transport = connect(server.port());
        ByteBuffer[] payload = {ByteBuffer.allocate(4 * 1024 * 1024)};

        long consumed = 0;
        for (int call = 0; call < 10; call++) {
            int writesBefore = io.writes;
            int refusedBefore = io.refusedWrites;
            long n = transport.write(payload, 0, 1);
            consumed += n;
            if (n > 0) {
                // it wrote until the socket took less than offered, and tried no more
                assertThat(io.refusedWrites - refusedBefore).as("refused writes in call %d", call).isZero();
            } else {
                // the bytes still waiting from the last call: one attempt, then OP_WRITE's turn
                assertThat(io.writes - writesBefore).as("writes in call %d", call).isEqualTo(1);
            }
        }
        assertThat(consumed).isPositive();
        assertThat(payload[0].hasRemaining()).isTrue(); // the silent server never makes room for 4 MiB
        assertThat(transport.hasPendingWrites()).isTrue();
    }

    @Test
    void aReadThatDrainsTheSocketDoesNotAskItAgainAndTheNextReadGetsWhatCameLater() throws Exception {
        TlsServer server = track(TlsServer.echo(false));
        SslTransport transport = connect(server.port());
        ByteBuffer dst = ByteBuffer.allocate(64 * 1024);

        for (int round = 1; round <= 3; round++) {
            ByteBuffer message = ByteBuffer.wrap(bytes(100 * round, round));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                    .until(() -> transport.write(new ByteBuffer[] {message}, 0, 1) >= 0
                            && !message.hasRemaining() && !transport.hasPendingWrites());
            int expected = dst.position() + 100 * round;
            int[] emptyReadsInCallsThatRead = {0};
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1)).until(() -> {
                int emptyBefore = io.emptyReads;
                if (transport.read(dst) > 0) {
                    emptyReadsInCallsThatRead[0] += io.emptyReads - emptyBefore;
                }
                return dst.position() == expected;
            });
            assertThat(emptyReadsInCallsThatRead[0]).as("empty socket reads in round %d", round).isZero();
        }
        dst.flip();
        for (int round = 1; round <= 3; round++) {
            byte[] echoed = new byte[100 * round];
            dst.get(echoed);
            assertThat(echoed).isEqualTo(bytes(100 * round, round));
        }
    }

    private SslTransport connect(int port) throws IOException {
        SocketChannel socket = SocketChannel.open();
        socket.setOption(StandardSocketOptions.SO_SNDBUF, 4096);
        socket.connect(new InetSocketAddress("localhost", port));
        socket.configureBlocking(false);
        java.nio.channels.Selector nio = track(java.nio.channels.Selector.open());
        SelectionKey key = socket.register(nio, SelectionKey.OP_READ);
        SslFactory factory = SslFactory.create(SslSettings.from(Map.of(
                "ssl.truststore.location", CERTS.file("truststore.jks").toString(),
                "ssl.truststore.password", TestCertificates.PASSWORD)));
        io = new CountingChannel(socket);
        SslTransport transport = new SslTransport("test", socket, io, key, factory.createClientEngine("localhost", port));
        resources.add(transport::close);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1)).until(transport::handshake);
        return transport;
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    private static byte[] bytes(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed * 31 + i);
        }
        return bytes;
    }

    /** The socket, counting reads that found nothing and writes the socket refused (EAGAIN underneath). */
    private static final class CountingChannel implements ByteChannel {

        private final SocketChannel socket;
        int emptyReads;
        int writes;
        int refusedWrites;

        CountingChannel(SocketChannel socket) {
            this.socket = socket;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int n = socket.read(dst);
            if (n == 0) {
                emptyReads++;
            }
            return n;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = socket.write(src);
            writes++;
            if (n == 0) {
                refusedWrites++;
            }
            return n;
        }

        @Override
        public boolean isOpen() {
            return socket.isOpen();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
