package dev.courier.benchmarks.standin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker stand-in on loopback, for measuring producer clients in isolation: it answers ApiVersions,
 * Metadata (one broker, itself, leading every partition), InitProducerId and Produce, acknowledging
 * every batch without storing it (offsets count up per partition). Any topic asked for exists, with
 * the configured number of partitions.
 *
 * <p>With an {@link SSLContext} ({@link #startTls}) every connection speaks TLS 1.3 ({@link StandInTls}), and the
 * stand-in calls itself {@code localhost}, the name its certificate carries, in its bootstrap address and metadata.
 *
 * <p>Threads: one acceptor, and one thread per connection (blocking I/O; requests are answered in
 * order, which Kafka's protocol requires per connection). Offsets are shared state: one
 * {@link AtomicLong} per partition.
 */
public final class StandInBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StandInBroker.class);

    static final int NODE_ID = 0;
    static final String CLUSTER_ID = "courier-stand-in";

    private final int partitions;
    /** Null for plaintext. */
    private final SSLContext tls;
    private final String advertisedHost;
    private final ServerSocket server;
    private final Thread acceptor;
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    private final List<StandInConnection> connections = new CopyOnWriteArrayList<>();
    private final AtomicLong producerIds = new AtomicLong(1000);
    private final AtomicLong batches = new AtomicLong();
    private volatile boolean closed;

    /** A topic as the stand-in knows it: a stable id and one offset counter per partition. */
    record Topic(String name, UUID id, AtomicLong[] offsets) {
    }

    private StandInBroker(int partitions, SSLContext tls) throws IOException {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1: " + partitions);
        }
        this.partitions = partitions;
        this.tls = tls;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        this.advertisedHost = tls == null ? server.getInetAddress().getHostAddress() : "localhost";
        this.acceptor = new Thread(this::acceptLoop, "stand-in-broker-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        log.info("Broker stand-in listening on {} ({} partitions per topic{})", bootstrapServers(), partitions,
                tls == null ? "" : ", TLS");
    }

    /** Starts a stand-in on an ephemeral loopback port whose topics all have {@code partitions} partitions. */
    public static StandInBroker start(int partitions) throws IOException {
        return new StandInBroker(partitions, null);
    }

    /** As {@link #start}, speaking TLS 1.3 with the server certificate and key of {@code context}. */
    public static StandInBroker startTls(int partitions, SSLContext context) throws IOException {
        return new StandInBroker(partitions, context);
    }

    public String bootstrapServers() {
        return host() + ":" + port();
    }

    String host() {
        return advertisedHost;
    }

    int port() {
        return server.getLocalPort();
    }

    int partitions() {
        return partitions;
    }

    /** Batches acknowledged so far, over all connections. */
    public long batchesAcknowledged() {
        return batches.get();
    }

    /** Next offset of a partition (records acknowledged so far), or 0 for a topic never produced to. */
    public long nextOffset(String topic, int partition) {
        Topic t = topics.get(topic);
        return t == null ? 0 : t.offsets()[partition].get();
    }

    Topic topic(String name) {
        Topic t = topics.get(name);
        return t != null ? t : topics.computeIfAbsent(name, this::newTopic);
    }

    private Topic newTopic(String name) {
        AtomicLong[] offsets = new AtomicLong[partitions];
        for (int i = 0; i < partitions; i++) {
            offsets[i] = new AtomicLong();
        }
        return new Topic(name, UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)), offsets);
    }

    Iterable<Topic> knownTopics() {
        return topics.values();
    }

    long nextProducerId() {
        return producerIds.getAndIncrement();
    }

    void countBatches(int n) {
        batches.addAndGet(n);
    }

    /** A server engine for a new connection, or null for plaintext. */
    SSLEngine newServerEngine() {
        if (tls == null) {
            return null;
        }
        SSLEngine engine = tls.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setEnabledProtocols(new String[] {"TLSv1.3"});
        return engine;
    }

    private void acceptLoop() {
        int sequence = 0;
        while (!closed) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                StandInConnection connection = new StandInConnection(this, socket);
                connections.add(connection);
                Thread thread = new Thread(() -> {
                    connection.run();
                    connections.remove(connection);
                }, "stand-in-broker-connection-" + sequence++);
                thread.setDaemon(true);
                thread.start();
            } catch (SocketException e) {
                if (!closed) {
                    log.warn("Stand-in acceptor stopped", e);
                }
                return;
            } catch (IOException e) {
                log.warn("Stand-in failed to accept a connection", e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            log.debug("closing the server socket", e);
        }
        for (StandInConnection connection : connections) {
            connection.close();
        }
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
