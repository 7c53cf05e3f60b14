package dev.courier.producer.internals.network;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A broker impostor on loopback that speaks Kafka framing: answers ApiVersions (v0 to v3, refusing
 * versions above a limit the way real brokers do) and Metadata (v9 to v13) for the topics it knows.
 * Tests can make it stall, stay silent for some APIs, drop connections or send an oversized frame.
 */
final class FakeBroker implements AutoCloseable {

    /** One request as the broker saw it. */
    record Request(short apiKey, short apiVersion, int correlationId, String clientId, byte[] body) {
    }

    final int nodeId;
    private final ServerSocket serverSocket;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    volatile short maxApiVersionsVersion = 3;
    volatile Map<Short, short[]> apiRanges = Map.of((short) 0, new short[] {0, 11}, (short) 3, new short[] {0, 12},
            (short) 18, new short[] {0, 3}, (short) 22, new short[] {0, 4});
    final Map<String, Integer> topics = new ConcurrentHashMap<>();
    volatile Set<Short> silentApiKeys = Set.of();
    volatile boolean stall;
    volatile boolean dropOnNextRequest;
    volatile boolean oversizedReply;
    /** SASL: the error SaslAuthenticate answers with (0 accepts any token), and the session lifetime it grants. */
    volatile short saslAuthenticateError;
    volatile long saslSessionLifetimeMs;
    /** Port named in metadata responses; defaults to the real one. */
    volatile int advertisedPort;

    FakeBroker(int nodeId) throws IOException {
        this.nodeId = nodeId;
        this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.advertisedPort = serverSocket.getLocalPort();
        Thread acceptor = new Thread(this::acceptLoop, "fake-broker-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", serverSocket.getLocalPort());
    }

    List<Request> requests(short apiKey) {
        List<Request> matching = new ArrayList<>();
        for (Request request : requests) {
            if (request.apiKey() == apiKey) {
                matching.add(request);
            }
        }
        return matching;
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                sockets.add(socket);
                Thread handler = new Thread(() -> serve(socket), "fake-broker-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; DataInputStream in = new DataInputStream(socket.getInputStream());
             DataOutputStream out = new DataOutputStream(socket.getOutputStream())) {
            while (true) {
                int size = in.readInt();
                byte[] frame = new byte[size];
                in.readFully(frame);
                ByteBuffer buf = ByteBuffer.wrap(frame);
                short apiKey = buf.getShort();
                short version = buf.getShort();
                int correlationId = buf.getInt();
                short clientIdLength = buf.getShort();
                String clientId = null;
                if (clientIdLength >= 0) {
                    clientId = new String(frame, buf.position(), clientIdLength, StandardCharsets.UTF_8);
                    buf.position(buf.position() + clientIdLength);
                }
                boolean flexibleHeader = apiKey == 18 ? version >= 3 : version >= 9;
                if (flexibleHeader) {
                    buf.get(); // empty tagged fields
                }
                byte[] body = new byte[buf.remaining()];
                buf.get(body);
                requests.add(new Request(apiKey, version, correlationId, clientId, body));

                if (apiKey != 18 && dropOnNextRequest) {
                    dropOnNextRequest = false;
                    return;
                }
                if (apiKey != 18 && oversizedReply) {
                    out.writeInt(200 * 1024 * 1024);
                    out.flush();
                    continue;
                }
                if (stall || silentApiKeys.contains(apiKey)) {
                    continue;
                }
                byte[] response = switch (apiKey) {
                    case 18 -> apiVersionsResponse(correlationId, version);
                    case 3 -> metadataResponse(correlationId, version, Wire.metadataRequestTopics(body, version));
                    case 17 -> saslHandshakeResponse(correlationId);
                    case 36 -> saslAuthenticateResponse(correlationId, version);
                    default -> throw new IllegalStateException("FakeBroker cannot answer api key " + apiKey);
                };
                out.writeInt(response.length);
                out.write(response);
                out.flush();
            }
        } catch (IOException e) {
            // connection closed
        }
    }

    /** SaslHandshake v1 (never flexible): accepts any mechanism, enables PLAIN. */
    private byte[] saslHandshakeResponse(int correlationId) {
        byte[] plain = "PLAIN".getBytes(StandardCharsets.UTF_8);
        Wire w = new Wire().int32(correlationId).int16(0).int32(1).int16(plain.length);
        for (byte b : plain) {
            w.int8(b);
        }
        return w.bytes();
    }

    /** SaslAuthenticate v0-v2: an empty server token, or {@link #saslAuthenticateError}. */
    private byte[] saslAuthenticateResponse(int correlationId, short version) {
        boolean flexible = version >= 2;
        Wire w = new Wire().int32(correlationId);
        if (flexible) {
            w.uvarint(0);
        }
        short error = saslAuthenticateError;
        w.int16(error);
        String message = error == 0 ? null : "Authentication failed: Invalid username or password";
        if (flexible) {
            w.compactString(message).uvarint(1); // empty compact bytes
        } else if (message == null) {
            w.int16(-1).int32(0);
        } else {
            byte[] m = message.getBytes(StandardCharsets.UTF_8);
            w.int16(m.length);
            for (byte b : m) {
                w.int8(b);
            }
            w.int32(0);
        }
        if (version >= 1) {
            w.int64(saslSessionLifetimeMs);
        }
        if (flexible) {
            w.uvarint(0);
        }
        return w.bytes();
    }

    private byte[] apiVersionsResponse(int correlationId, short version) {
        Wire w = new Wire();
        w.int32(correlationId); // ApiVersions always uses response header v0
        if (version > maxApiVersionsVersion) {
            w.int16(35).int32(1).int16(18).int16(0).int16(maxApiVersionsVersion);
            return w.bytes();
        }
        boolean flexible = version >= 3;
        w.int16(0);
        w.arrayLength(apiRanges.size(), flexible);
        for (Map.Entry<Short, short[]> e : apiRanges.entrySet()) {
            w.int16(e.getKey()).int16(e.getValue()[0]).int16(e.getValue()[1]);
            if (flexible) {
                w.uvarint(0);
            }
        }
        if (version >= 1) {
            w.int32(0);
        }
        if (flexible) {
            w.uvarint(0);
        }
        return w.bytes();
    }

    private byte[] metadataResponse(int correlationId, short version, List<String> requested) {
        Wire w = new Wire();
        w.int32(correlationId).uvarint(0); // response header v1
        w.int32(0); // throttle
        w.arrayLength(1, true);
        w.int32(nodeId).compactString("127.0.0.1").int32(advertisedPort).compactString(null).uvarint(0);
        w.compactString("fake-cluster").int32(nodeId);
        w.arrayLength(requested.size(), true);
        for (String topic : requested) {
            Integer partitions = topics.get(topic);
            w.int16(partitions == null ? 3 : 0).compactString(topic);
            if (version >= 10) {
                w.int64(partitions == null ? 0 : 42).int64(partitions == null ? 0 : topic.hashCode());
            }
            w.int8(0); // not internal
            int count = partitions == null ? 0 : partitions;
            w.arrayLength(count, true);
            for (int p = 0; p < count; p++) {
                w.int16(0).int32(p).int32(nodeId).int32(0);
                w.arrayLength(1, true).int32(nodeId);
                w.arrayLength(1, true).int32(nodeId);
                w.arrayLength(0, true);
                w.uvarint(0);
            }
            w.int32(Integer.MIN_VALUE).uvarint(0);
        }
        if (version <= 10) {
            w.int32(Integer.MIN_VALUE);
        }
        if (version >= 13) {
            w.int16(0);
        }
        w.uvarint(0);
        return w.bytes();
    }

    /** Closes every accepted connection (the listening socket stays open). */
    void dropConnections() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
        dropConnections();
    }

    /** Tiny big-endian writer/reader for the few encodings the fake needs. */
    static final class Wire {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(bytes);

        Wire int8(int v) {
            return run(() -> out.writeByte(v));
        }

        Wire int16(int v) {
            return run(() -> out.writeShort(v));
        }

        Wire int32(int v) {
            return run(() -> out.writeInt(v));
        }

        Wire int64(long v) {
            return run(() -> out.writeLong(v));
        }

        Wire uvarint(int v) {
            int value = v;
            while ((value & ~0x7f) != 0) {
                bytes.write((value & 0x7f) | 0x80);
                value >>>= 7;
            }
            bytes.write(value);
            return this;
        }

        Wire arrayLength(int n, boolean flexible) {
            return flexible ? uvarint(n + 1) : int32(n);
        }

        Wire compactString(String s) {
            if (s == null) {
                return uvarint(0);
            }
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            uvarint(utf8.length + 1);
            bytes.write(utf8, 0, utf8.length);
            return this;
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }

        private Wire run(IoAction action) {
            try {
                action.run();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return this;
        }

        private interface IoAction {
            void run() throws IOException;
        }

        static int readUvarint(ByteBuffer buf) {
            int value = 0;
            int shift = 0;
            int b;
            do {
                b = buf.get() & 0xff;
                value |= (b & 0x7f) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            return value;
        }

        /** Topic names of a MetadataRequest body v9+ (flexible). */
        static List<String> metadataRequestTopics(byte[] body, short version) {
            ByteBuffer buf = ByteBuffer.wrap(body);
            int count = readUvarint(buf) - 1;
            List<String> names = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                if (version >= 10) {
                    buf.position(buf.position() + 16);
                }
                int length = readUvarint(buf) - 1;
                names.add(new String(body, buf.position(), length, StandardCharsets.UTF_8));
                buf.position(buf.position() + length);
                readUvarint(buf); // tagged fields
            }
            return names;
        }

        /** AllowAutoTopicCreation of a MetadataRequest body v9+. */
        static boolean metadataRequestAllowsAutoCreation(byte[] body, short version) {
            ByteBuffer buf = ByteBuffer.wrap(body);
            int count = readUvarint(buf) - 1;
            for (int i = 0; i < count; i++) {
                if (version >= 10) {
                    buf.position(buf.position() + 16);
                }
                int length = readUvarint(buf) - 1;
                buf.position(buf.position() + length);
                readUvarint(buf);
            }
            return buf.get() != 0;
        }
    }
}
