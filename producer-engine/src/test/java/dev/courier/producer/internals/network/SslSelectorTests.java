package dev.courier.producer.internals.network;

import static dev.courier.producer.internals.network.SelectorTests.frame;
import static dev.courier.producer.internals.network.SelectorTests.toArray;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.producer.errors.SslAuthenticationException;
import dev.courier.producer.internals.security.SslFactory;
import dev.courier.producer.internals.security.SslSettings;
import dev.courier.producer.testing.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The selector over {@link SslTransport}, against a JDK TLS server on loopback with the test certificates. */
class SslSelectorTests {

    static {
        // Makes the JDK's server socket report a connection that ends without close_notify as an error (it
        // reads -1 either way by default), so that closingSendsCloseNotify can tell the two apart. Read once,
        // when the JDK's SSLSocketImpl loads; no other unit test uses JDK TLS sockets.
        System.setProperty("com.sun.net.ssl.requireCloseNotify", "true");
    }

    private static final TestCertificates CERTS = TestCertificates.get();
    private static final String PW = TestCertificates.PASSWORD;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<NetworkReceive> received = new ArrayList<>();
    private final List<NetworkSend> sent = new ArrayList<>();
    private final Map<String, IOException> disconnected = new HashMap<>();

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

    private static TransportLayer.Factory tls(Object... keysAndValues) {
        Map<String, Object> config = new HashMap<>();
        config.put("ssl.truststore.location", CERTS.file("truststore.jks").toString());
        config.put("ssl.truststore.password", PW);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return SslTransport.factory(SslFactory.create(SslSettings.from(config))::createClientEngine);
    }

    private static InetSocketAddress localhost(TlsServer server) {
        return new InetSocketAddress("localhost", server.port());
    }

    @Test
    void theConnectionIsReadyOnlyAfterTheHandshakeAndEchoesAFrame() throws Exception {
        TlsServer server = track(TlsServer.echo(false));
        Selector selector = track(new Selector(1024, -1, -1, tls()));
        selector.connect("a", localhost(server));
        assertThat(selector.isChannelReady("a")).isFalse();
        pollUntil(selector, () -> selector.isChannelReady("a"));

        selector.send(new NetworkSend("a", frame(bytes(10, 1))));
        pollUntil(selector, () -> received.size() == 1);
        assertThat(sent).hasSize(1);
        assertThat(toArray(received.get(0).payload())).isEqualTo(bytes(10, 1));
    }

    @Test
    void aLargeFrameCrossesManyTlsRecordsBothWaysWithTinySocketBuffers() throws Exception {
        TlsServer server = track(TlsServer.echo(false));
        Selector selector = track(new Selector(8 * 1024 * 1024, 4096, 4096, tls()));
        selector.connect("a", localhost(server));
        pollUntil(selector, () -> selector.isChannelReady("a"));

        byte[] payload = bytes(1024 * 1024 + 17, 3);
        selector.send(new NetworkSend("a", frame(payload)));
        pollUntil(selector, () -> received.size() == 1);
        assertThat(toArray(received.get(0).payload())).isEqualTo(payload);
        assertThat(selector.hasPendingSend("a")).isFalse();
    }

    @Test
    void manyFramesInOneBurstAreAllDeliveredWithoutTheServerSendingMore() throws Exception {
        TlsServer server = track(TlsServer.echo(false));
        Selector selector = track(new Selector(1024 * 1024, -1, -1, tls()));
        selector.connect("a", localhost(server));
        pollUntil(selector, () -> selector.isChannelReady("a"));

        // 40 frames of 3000 bytes: several TLS records, each holding frames that straddle record boundaries
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            payloads.add(bytes(3000, i));
        }
        for (byte[] payload : payloads) {
            selector.send(new NetworkSend("a", frame(payload)));
            pollUntil(selector, () -> !selector.hasPendingSend("a"));
        }
        pollUntil(selector, () -> received.size() == payloads.size());
        for (int i = 0; i < payloads.size(); i++) {
            assertThat(toArray(received.get(i).payload())).isEqualTo(payloads.get(i));
        }
    }

    @Test
    void decryptedBytesTheCallerHadNoRoomForStayBufferedAndAreReadWithoutTheSocket() throws Exception {
        TlsServer server = track(TlsServer.echo(false));
        // The transport alone, to read in small steps: the 104 echoed bytes arrive as one TLS record.
        java.nio.channels.SocketChannel socket = java.nio.channels.SocketChannel.open(localhost(server));
        try (java.nio.channels.Selector nio = java.nio.channels.Selector.open()) {
            socket.configureBlocking(false);
            java.nio.channels.SelectionKey key = socket.register(nio, java.nio.channels.SelectionKey.OP_READ);
            TransportLayer transport = tls().create(socket, key, localhost(server));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1)).until(transport::handshake);
            ByteBuffer frame = ByteBuffer.allocate(104);
            for (ByteBuffer part : frame(bytes(100, 5))) {
                frame.put(part);
            }
            transport.write(new ByteBuffer[] {frame.flip()}, 0, 1);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                    .until(() -> !transport.hasPendingWrites() || transport.flush());
            ByteBuffer small = ByteBuffer.allocate(10);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                    .until(() -> transport.read(small) > 0);
            assertThat(small.position()).isEqualTo(10);
            assertThat(transport.hasBufferedData()).isTrue();
            ByteBuffer rest = ByteBuffer.allocate(200);
            while (transport.hasBufferedData()) {
                transport.read(rest);
            }
            assertThat(rest.position()).isEqualTo(94);
            transport.close();
        }
    }

    @Test
    void aCertificateThatDoesNotNameTheDialledHostIsAnAuthenticationFailure() throws Exception {
        TlsServer server = track(TlsServer.echo(false));
        Selector selector = track(new Selector(1024, -1, -1, tls()));
        selector.connect("a", new InetSocketAddress(InetAddress.getByName("127.0.0.1"), server.port()));
        pollUntil(selector, () -> disconnected.containsKey("a"));
        assertThat(disconnected.get("a")).isInstanceOf(AuthenticationFailure.class);
        assertThat(((AuthenticationFailure) disconnected.get("a")).exception())
                .isInstanceOf(SslAuthenticationException.class).hasMessageContaining("127.0.0.1");
        assertThat(selector.isChannelReady("a")).isFalse();
    }

    @Test
    void withHostnameVerificationOffTheSameCertificateIsAccepted() throws Exception {
        TlsServer server = track(TlsServer.echo(false));
        Selector selector = track(new Selector(1024, -1, -1, tls("ssl.endpoint.identification.algorithm", "")));
        selector.connect("a", new InetSocketAddress(InetAddress.getByName("127.0.0.1"), server.port()));
        pollUntil(selector, () -> selector.isChannelReady("a"));
        selector.send(new NetworkSend("a", frame(bytes(10, 1))));
        pollUntil(selector, () -> received.size() == 1);
        assertThat(disconnected).isEmpty();
    }

    @Test
    void aServerThatRejectsTheMissingClientCertificateAfterTheTls13HandshakeIsAnAuthenticationFailure()
            throws Exception {
        TlsServer server = track(TlsServer.echo(true));
        Selector selector = track(new Selector(1024, -1, -1, tls()));
        selector.connect("a", localhost(server));
        pollUntil(selector, () -> selector.isChannelReady("a") || disconnected.containsKey("a"));
        if (selector.isChannelReady("a")) {
            selector.send(new NetworkSend("a", frame(bytes(10, 1))));
        }
        pollUntil(selector, () -> disconnected.containsKey("a"));
        assertThat(disconnected.get("a")).isInstanceOf(AuthenticationFailure.class);
        assertThat(received).isEmpty();
    }

    @Test
    void aClientCertificateSatisfiesAServerThatRequiresOne() throws Exception {
        TlsServer server = track(TlsServer.echo(true));
        Selector selector = track(new Selector(1024, -1, -1, tls("ssl.keystore.type", "PKCS12",
                "ssl.keystore.location", CERTS.file("client.p12").toString(), "ssl.keystore.password", PW)));
        selector.connect("a", localhost(server));
        pollUntil(selector, () -> selector.isChannelReady("a"));
        selector.send(new NetworkSend("a", frame(bytes(10, 1))));
        pollUntil(selector, () -> received.size() == 1);
        assertThat(toArray(received.get(0).payload())).isEqualTo(bytes(10, 1));
    }

    @Test
    void closingSendsCloseNotify() throws Exception {
        TlsServer server = track(TlsServer.echo(false));
        Selector selector = track(new Selector(1024, -1, -1, tls()));
        selector.connect("a", localhost(server));
        pollUntil(selector, () -> selector.isChannelReady("a"));
        selector.send(new NetworkSend("a", frame(bytes(10, 1))));
        pollUntil(selector, () -> received.size() == 1);

        selector.close("a");
        // The server's read ends with -1 (close_notify), not with an exception about a truncated connection.
        assertThat(server.firstConnectionEnd().get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("eof");
    }

    private void pollUntil(Selector selector, BooleanSupplier condition) {
        await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1)).until(() -> {
                    selector.poll(10);
                    sent.addAll(selector.completedSends());
                    received.addAll(selector.completedReceives());
                    disconnected.putAll(selector.disconnected());
                    return condition.getAsBoolean();
                });
    }

    private static byte[] bytes(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed * 31 + i);
        }
        return bytes;
    }

    /**
     * A blocking JDK TLS echo server with the broker certificate; optionally requiring a client certificate, or
     * {@linkplain #silent() silent}.
     */
    static final class TlsServer implements AutoCloseable {

        private final SSLServerSocket serverSocket;
        /** Completes handshakes, then reads nothing until closed: the client's socket buffer fills up. */
        private final boolean silent;
        private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        private final CompletableFuture<String> firstConnectionEnd = new CompletableFuture<>();
        private final List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

        private TlsServer(boolean needClientAuth, boolean silent, int receiveBufferBytes) throws Exception {
            this.silent = silent;
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = java.nio.file.Files.newInputStream(CERTS.file("server.p12"))) {
                keys.load(in, PW.toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, PW.toCharArray());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = java.nio.file.Files.newInputStream(CERTS.file("truststore.p12"))) {
                trust.load(in, PW.toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            serverSocket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
            if (receiveBufferBytes > 0) {
                serverSocket.setReceiveBufferSize(receiveBufferBytes); // inherited by accepted sockets
            }
            serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            serverSocket.setNeedClientAuth(needClientAuth);
            Thread acceptor = new Thread(this::acceptLoop, "tls-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        static TlsServer echo(boolean needClientAuth) throws Exception {
            return new TlsServer(needClientAuth, false, -1);
        }

        /** Handshakes, then never reads, with a small receive buffer. */
        static TlsServer silent() throws Exception {
            return new TlsServer(false, true, 4096);
        }

        int port() {
            return serverSocket.getLocalPort();
        }

        /** How the first connection's reading ended: "eof" for a clean close, else the exception. */
        CompletableFuture<String> firstConnectionEnd() {
            return firstConnectionEnd;
        }

        private void acceptLoop() {
            while (!serverSocket.isClosed()) {
                try {
                    SSLSocket socket = (SSLSocket) serverSocket.accept();
                    sockets.add(socket);
                    Thread pump = new Thread(() -> pump(socket), "tls-echo");
                    pump.setDaemon(true);
                    pump.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void pump(SSLSocket socket) {
            byte[] buffer = new byte[64 * 1024];
            String end = "eof";
            if (silent) {
                try (socket) {
                    socket.startHandshake();
                    closed.await();
                } catch (IOException e) {
                    end = e.toString();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                firstConnectionEnd.complete(end);
                return;
            }
            try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                end = e.toString();
            }
            firstConnectionEnd.complete(end);
        }

        @Override
        public void close() throws IOException {
            closed.countDown();
            serverSocket.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
