package dev.courier.producer.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on loopback in front of one Kafka broker that injects network faults on command.
 *
 * <p>Faults, each switched on and off by the test thread at any time:
 * <ul>
 *   <li>{@link #cutRequests(double)}: each request the client sends is, with the given probability, cut at a random
 *       byte: the proxy forwards the request up to that byte and then resets both sides. The cut point is uniform
 *       over the request's bytes, except that a quarter of the cuts fall right after the request's last byte, so
 *       the broker gets the whole request and the client never sees the answer (the case that duplicates records
 *       without idempotence). The proxy knows where a request starts and ends from Kafka's 4-byte size prefix.</li>
 *   <li>{@link #cutResponses(double)}: each response the broker sends back is, with the given probability, cut
 *       inside: the proxy forwards a random prefix of it (at least one byte, never all of it) and then resets both
 *       sides, so the broker has handled the request and the client gets a torn answer.</li>
 *   <li>{@link #delayResponses(long)}: every chunk the broker sends back is held for the given time before it is
 *       forwarded; longer than the client's {@code request.timeout.ms} makes the client give up on the request.</li>
 *   <li>{@link #blackhole(boolean)}: bytes in both directions are read and dropped, connections stay open, new
 *       ones are accepted. When the blackhole ends, connections that lost bytes are reset (their byte streams are
 *       broken); the others carry on.</li>
 *   <li>{@link #down(boolean)}: the broker looks dead: open connections are reset and new ones are reset as soon
 *       as they are accepted (the listening port stays bound, so it is never taken by someone else).</li>
 * </ul>
 *
 * <p>Every random choice comes from {@link SplittableRandom}s (one per direction) seeded with {@code seed} and the
 * connection's number, so a run can be repeated with the seed it printed (connection numbering follows accept
 * order, which thread scheduling can change, so a repeat is close to, not exactly, the first run).
 *
 * <p>Threads: one acceptor thread, two pump threads per connection (client to broker, broker to client). Fault
 * switches are volatile fields written by the test thread; counters are atomics; the set of open connections is
 * concurrent.
 */
public final class FaultyProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FaultyProxy.class);
    private static final int CHUNK = 64 * 1024;
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    /** Keeps the response direction's random choices apart from the request direction's (same connection seed). */
    private static final long RESPONSE_SEED_MASK = 0x5DEECE66DL;

    private final String name;
    private final long seed;
    private final ServerSocket server;
    private final Thread acceptor;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong connectionCounter = new AtomicLong();

    private volatile Supplier<InetSocketAddress> upstream;
    private volatile double cutProbability;
    private volatile double responseCutProbability;
    private volatile long responseDelayMs;
    private volatile boolean blackholed;
    private volatile boolean down;
    private volatile boolean closed;

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong upstreamFailures = new AtomicLong();
    private final AtomicLong cuts = new AtomicLong();
    private final AtomicLong cutsAfterWholeRequest = new AtomicLong();
    private final AtomicLong delayedChunks = new AtomicLong();
    private final AtomicLong droppedBytes = new AtomicLong();
    private final AtomicLong abandonedByClient = new AtomicLong();
    private final AtomicLong responseCuts = new AtomicLong();

    /** Binds a free loopback port and starts accepting; connections are refused until {@link #upstream} is set. */
    public FaultyProxy(String name, long seed) {
        this.name = name;
        this.seed = seed;
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException("Could not bind proxy " + name, e);
        }
        this.acceptor = new Thread(this::acceptLoop, "faulty-proxy-" + name + "-acceptor");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /** The loopback port clients connect to; fixed for the proxy's life. */
    public int port() {
        return server.getLocalPort();
    }

    /** Where new connections go, asked once per connection (a restarted broker has a new port). */
    public void upstream(Supplier<InetSocketAddress> upstream) {
        this.upstream = upstream;
    }

    /** Cuts each request with this probability; 0 stops cutting. */
    public void cutRequests(double probability) {
        if (cutProbability != probability) {
            log.info("Proxy {}: cutting requests with probability {}", name, probability);
        }
        this.cutProbability = probability;
    }

    /** Cuts each response inside with this probability; 0 stops cutting. */
    public void cutResponses(double probability) {
        if (responseCutProbability != probability) {
            log.info("Proxy {}: cutting responses with probability {}", name, probability);
        }
        this.responseCutProbability = probability;
    }

    /** Holds every response chunk this long before forwarding it; 0 stops delaying (held chunks still wait). */
    public void delayResponses(long delayMs) {
        if (responseDelayMs != delayMs) {
            log.info("Proxy {}: delaying responses by {} ms", name, delayMs);
        }
        this.responseDelayMs = delayMs;
    }

    /** Starts or ends a blackhole; ending it resets the connections that lost bytes. */
    public void blackhole(boolean on) {
        if (blackholed != on) {
            log.info("Proxy {}: blackhole {}", name, on ? "on" : "off");
        }
        this.blackholed = on;
        if (!on) {
            for (Connection connection : connections) {
                if (connection.lostBytes) {
                    connection.reset();
                }
            }
        }
    }

    /** Makes the broker look dead (every connection reset) or alive again. */
    public void down(boolean on) {
        if (down != on) {
            log.info("Proxy {}: broker {}", name, on ? "down" : "up");
        }
        this.down = on;
        if (on) {
            connections.forEach(Connection::reset);
        }
    }

    /** Counters so far. */
    public Stats stats() {
        return new Stats(accepted.get(), rejected.get(), upstreamFailures.get(), cuts.get(), cutsAfterWholeRequest.get(),
                delayedChunks.get(), droppedBytes.get(), abandonedByClient.get(), responseCuts.get());
    }

    /**
     * What the proxy has done.
     *
     * @param accepted              connections accepted and forwarded
     * @param rejected              connections reset at once because the proxy was {@link #down}
     * @param upstreamFailures      connections closed because the broker could not be reached
     * @param cuts                  requests cut
     * @param cutsAfterWholeRequest of those, cut after the broker had the whole request
     * @param delayedChunks         response chunks held back by {@link #delayResponses}
     * @param droppedBytes          bytes dropped by the blackhole
     * @param abandonedByClient     connections the client closed while a response was held back or bytes dropped
     * @param responseCuts          responses cut inside
     */
    public record Stats(long accepted, long rejected, long upstreamFailures, long cuts, long cutsAfterWholeRequest,
                        long delayedChunks, long droppedBytes, long abandonedByClient, long responseCuts) {
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            log.debug("Closing proxy {}", name, e);
        }
        connections.forEach(Connection::reset);
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("Proxy {} closed: {}", name, stats());
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("Proxy {} stopped accepting", name, e);
                }
                return;
            }
            long number = connectionCounter.incrementAndGet();
            Supplier<InetSocketAddress> target = upstream;
            if (down || target == null) {
                rejected.incrementAndGet();
                resetQuietly(client);
                continue;
            }
            Socket broker = new Socket();
            try {
                client.setTcpNoDelay(true);
                broker.setTcpNoDelay(true);
                broker.connect(target.get(), CONNECT_TIMEOUT_MS);
            } catch (IOException | RuntimeException e) {
                upstreamFailures.incrementAndGet();
                log.debug("Proxy {}: broker unreachable for connection {}", name, number, e);
                resetQuietly(client);
                resetQuietly(broker);
                continue;
            }
            accepted.incrementAndGet();
            Connection connection = new Connection(number, client, broker, seed * 31 + number);
            connections.add(connection);
            if (down) {
                // down(true) came while this connection was being set up and may have missed it in the set
                rejected.incrementAndGet();
                connection.reset();
                continue;
            }
            connection.start();
        }
    }

    private static void resetQuietly(Socket socket) {
        try {
            socket.setSoLinger(true, 0); // close with RST, as a crashed peer or a cut cable would look
        } catch (IOException e) {
            // already closed
        }
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /** One proxied connection: its two sockets and pumps. */
    private final class Connection {
        private final long number;
        private final Socket client;
        private final Socket broker;
        /** Used only by the client-to-broker pump thread. */
        private final SplittableRandom random;
        /** Used only by the broker-to-client pump thread. */
        private final SplittableRandom responseRandom;
        /** Set by either pump. */
        private volatile boolean lostBytes;
        private volatile boolean responseHeld;
        private volatile boolean isReset;

        Connection(long number, Socket client, Socket broker, long seed) {
            this.number = number;
            this.client = client;
            this.broker = broker;
            this.random = new SplittableRandom(seed);
            this.responseRandom = new SplittableRandom(seed ^ RESPONSE_SEED_MASK);
        }

        void start() {
            Thread up = new Thread(this::pumpRequests, "faulty-proxy-" + name + "-" + number + "-requests");
            Thread downstream = new Thread(this::pumpResponses, "faulty-proxy-" + name + "-" + number + "-responses");
            up.setDaemon(true);
            downstream.setDaemon(true);
            up.start();
            downstream.start();
        }

        void reset() {
            isReset = true;
            resetQuietly(client);
            resetQuietly(broker);
            connections.remove(this);
        }

        /** Client to broker, following Kafka's size-prefixed framing to cut inside requests. */
        private void pumpRequests() {
            byte[] chunk = new byte[CHUNK];
            Framing requests = new Framing(this::chooseCut);
            try {
                InputStream in = client.getInputStream();
                OutputStream out = broker.getOutputStream();
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    if (blackholed) {
                        droppedBytes.addAndGet(n);
                        lostBytes = true;
                        continue;
                    }
                    Framing.Outcome outcome = requests.forward(out, chunk, n);
                    if (outcome != Framing.Outcome.FORWARDED) {
                        cut(outcome == Framing.Outcome.CUT_AFTER_WHOLE_FRAME);
                        return;
                    }
                }
                if (lostBytes || responseHeld) {
                    abandonedByClient.incrementAndGet();
                }
            } catch (IOException e) {
                if ((lostBytes || responseHeld) && !isReset) {
                    abandonedByClient.incrementAndGet();
                }
            } finally {
                reset();
            }
        }

        /** -1 for no cut, else the byte of the frame (0 .. frameLength) before which the connection dies. */
        private long chooseCut(long frameLength) {
            double probability = cutProbability;
            if (probability <= 0 || random.nextDouble() >= probability) {
                return -1;
            }
            if (random.nextInt(4) == 0) {
                return frameLength;
            }
            return random.nextLong(frameLength);
        }

        /** -1 for no cut, else the byte of the response (1 .. frameLength - 1) before which the connection dies. */
        private long chooseResponseCut(long frameLength) {
            double probability = responseCutProbability;
            if (probability <= 0 || responseRandom.nextDouble() >= probability) {
                return -1;
            }
            return 1 + responseRandom.nextLong(frameLength - 1);
        }

        private void cut(boolean afterWholeRequest) {
            cuts.incrementAndGet();
            if (afterWholeRequest) {
                cutsAfterWholeRequest.incrementAndGet();
            }
            log.debug("Proxy {}: cut connection {}{}", name, number, afterWholeRequest ? " after a whole request" : "");
            reset();
        }

        private void pumpResponses() {
            byte[] chunk = new byte[CHUNK];
            Framing responses = new Framing(this::chooseResponseCut);
            try {
                InputStream in = broker.getInputStream();
                OutputStream out = client.getOutputStream();
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    long delayMs = responseDelayMs;
                    if (delayMs > 0) {
                        delayedChunks.incrementAndGet();
                        responseHeld = true;
                        // the fault itself: the response is late, not waited for
                        Thread.sleep(delayMs);
                        responseHeld = false;
                    }
                    if (blackholed) {
                        droppedBytes.addAndGet(n);
                        lostBytes = true;
                        continue;
                    }
                    if (responses.forward(out, chunk, n) != Framing.Outcome.FORWARDED) {
                        responseCuts.incrementAndGet();
                        log.debug("Proxy {}: cut connection {} inside a response", name, number);
                        return; // the finally block resets both sides
                    }
                }
            } catch (IOException e) {
                log.trace("Proxy {}: connection {} ended", name, number, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                reset();
            }
        }
    }

    /**
     * Follows Kafka's size-prefixed framing in one direction of a connection and stops forwarding at a cut, when
     * {@code chooseCut} placed one in the current frame (given the frame's length with its 4-byte prefix, it returns
     * the byte before which to cut, up to that length, or -1). Used by one pump thread only.
     */
    private static final class Framing {

        enum Outcome { FORWARDED, CUT_INSIDE_FRAME, CUT_AFTER_WHOLE_FRAME }

        private final LongUnaryOperator chooseCut;
        private final byte[] header = new byte[4];
        private int headerFilled;
        private long frameLength = -1; // 4 + size once the header is complete
        private long frameForwarded;
        private long cutAt = -1;

        Framing(LongUnaryOperator chooseCut) {
            this.chooseCut = chooseCut;
        }

        /** Forwards {@code chunk[0, n)}, or the part of it before a cut. */
        Outcome forward(OutputStream out, byte[] chunk, int n) throws IOException {
            int pos = 0;
            while (pos < n) {
                if (frameLength < 0) {
                    // hold the size prefix back until it is complete, so a cut can be placed inside it
                    int take = Math.min(4 - headerFilled, n - pos);
                    System.arraycopy(chunk, pos, header, headerFilled, take);
                    headerFilled += take;
                    pos += take;
                    if (headerFilled < 4) {
                        break;
                    }
                    int size = ((header[0] & 0xff) << 24) | ((header[1] & 0xff) << 16)
                            | ((header[2] & 0xff) << 8) | (header[3] & 0xff);
                    frameLength = 4L + size;
                    frameForwarded = 0;
                    cutAt = chooseCut.applyAsLong(frameLength);
                    if (!write(out, header, 0, 4)) {
                        return Outcome.CUT_INSIDE_FRAME;
                    }
                    frameForwarded = 4;
                    headerFilled = 0;
                }
                int take = (int) Math.min(frameLength - frameForwarded, n - pos);
                if (!write(out, chunk, pos, take)) {
                    return Outcome.CUT_INSIDE_FRAME;
                }
                pos += take;
                frameForwarded += take;
                if (frameForwarded == frameLength) {
                    if (cutAt == frameLength) {
                        return Outcome.CUT_AFTER_WHOLE_FRAME;
                    }
                    frameLength = -1;
                }
            }
            return Outcome.FORWARDED;
        }

        /** Writes {@code length} bytes at {@code frameForwarded} in the frame, stopping at the cut; false if cut. */
        private boolean write(OutputStream out, byte[] bytes, int offset, int length) throws IOException {
            if (cutAt >= 0 && cutAt < frameForwarded + length) {
                int before = (int) (cutAt - frameForwarded);
                if (before > 0) {
                    out.write(bytes, offset, before);
                    out.flush();
                }
                return false;
            }
            out.write(bytes, offset, length);
            return true;
        }
    }
}
