package dev.courier.producer.internals.network;

import dev.courier.producer.errors.SslAuthenticationException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS over a non-blocking socket with the JDK's {@link SSLEngine}. Encrypted bytes travel through two heap
 * buffers ({@code netRead}, {@code netWrite}). Heap, not direct, on purpose: the engine encrypts into
 * {@code netWrite} in place, and into a direct buffer the JDK 17 AES-GCM path costs about 30% more per byte
 * (0.265 against 0.203 ns per byte wrapping 64 KiB from a direct batch buffer, TLS 1.3), more than the socket's
 * copy of a heap buffer into its cached direct buffer. Decrypted bytes that did not fit the caller's buffer wait in
 * {@code appRead} and count as {@linkplain #hasBufferedData() buffered}, so the selector hands them out without
 * waiting for the socket.
 *
 * <p>Failures of trust (an untrusted or mismatching broker certificate, no common protocol) surface from the
 * handshake as {@link SslAuthenticationException}. With TLS 1.3 the client's side of the handshake completes
 * before the broker has checked the client certificate; a broker that rejects it answers with an alert on the
 * first read, which is therefore also an authentication failure as long as no application data has arrived.
 *
 * <p>Socket calls are kept to those that can move bytes: a flush writes once, since a non-blocking write that
 * leaves bytes behind found the socket buffer full and an immediate retry only earns EAGAIN; a read that leaves room
 * in {@code netRead} drained the socket, so the same {@link #read} does not ask it again (readiness is
 * level-triggered, so bytes arriving later wake the selector).
 *
 * <p>Buffer modes: {@code netRead} and {@code appRead} are kept in fill mode (bytes in [0, position)),
 * {@code netWrite} too (bytes waiting for the socket in [0, position)). Sender thread only.
 */
final class SslTransport implements TransportLayer {

    private static final Logger log = LoggerFactory.getLogger(SslTransport.class);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** TLS records wrapped per flush: fewer write syscalls for large requests. */
    private static final int RECORDS_PER_WRITE = 4;

    private final String id;
    private final SocketChannel socket;
    /** Where encrypted bytes are read from and written to: the socket itself (tests count the calls through it). */
    private final ByteChannel io;
    private final SelectionKey key;
    private final SSLEngine engine;
    private final int packetSize;
    private ByteBuffer netRead;
    private final ByteBuffer netWrite;
    private ByteBuffer appRead;

    private boolean handshakeStarted;
    private boolean handshakeDone;
    /** The last unwrap needed more bytes than netRead holds: only the socket can help. */
    private boolean netReadUnderflow;
    private boolean appDataReceived;
    private boolean closeNotifyReceived;

    SslTransport(String id, SocketChannel socket, SelectionKey key, SSLEngine engine) {
        this(id, socket, socket, key, engine);
    }

    SslTransport(String id, SocketChannel socket, ByteChannel io, SelectionKey key, SSLEngine engine) {
        this.id = id;
        this.socket = socket;
        this.io = io;
        this.key = key;
        this.engine = engine;
        this.packetSize = engine.getSession().getPacketBufferSize();
        this.netRead = ByteBuffer.allocate(packetSize);
        this.netWrite = ByteBuffer.allocate(packetSize * RECORDS_PER_WRITE);
        this.appRead = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    /** A factory making TLS transports with engines from {@code engines}, verifying the host dialled. */
    static TransportLayer.Factory factory(EngineFactory engines) {
        return (socket, key, address) -> new SslTransport(address.toString(), socket, key,
                engines.createClientEngine(address.getHostString(), address.getPort()));
    }

    /** Where client engines come from (the producer's SslFactory). */
    @FunctionalInterface
    interface EngineFactory {
        SSLEngine createClientEngine(String host, int port);
    }

    @Override
    public boolean finishConnect() throws IOException {
        return socket.finishConnect();
    }

    @Override
    public boolean handshake() throws IOException {
        if (handshakeDone) {
            return true;
        }
        try {
            if (!handshakeStarted) {
                handshakeStarted = true;
                engine.beginHandshake();
            }
            return stepHandshake();
        } catch (SSLException e) {
            throw authenticationFailure("TLS handshake with " + id + " failed", e);
        }
    }

    private boolean stepHandshake() throws IOException {
        if (!flush()) {
            key.interestOps(SelectionKey.OP_WRITE);
            return false;
        }
        while (true) {
            HandshakeStatus status = engine.getHandshakeStatus();
            switch (status) {
                case NEED_TASK -> runDelegatedTasks();
                case NEED_WRAP -> {
                    SSLEngineResult result = engine.wrap(EMPTY, netWrite);
                    if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new EOFException("TLS engine closed during the handshake with " + id);
                    }
                    if (!flush()) {
                        key.interestOps(SelectionKey.OP_WRITE);
                        return false;
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrapHandshake()) {
                        key.interestOps(SelectionKey.OP_READ);
                        return false;
                    }
                }
                default -> { // FINISHED or NOT_HANDSHAKING
                    handshakeDone = true;
                    key.interestOps(SelectionKey.OP_READ | (hasPendingWrites() ? SelectionKey.OP_WRITE : 0));
                    log.debug("TLS handshake with {} done: {} {}", id, engine.getSession().getProtocol(),
                            engine.getSession().getCipherSuite());
                    return true;
                }
            }
        }
    }

    /** One handshake unwrap; false when it needs bytes the socket does not have yet. */
    private boolean unwrapHandshake() throws IOException {
        if (netRead.position() == 0 || netReadUnderflow) {
            ensureNetReadRoom();
            int read = io.read(netRead);
            if (read < 0) {
                throw new EOFException("Connection to " + id + " closed by the peer during the TLS handshake");
            }
            if (read == 0) {
                return false;
            }
            netReadUnderflow = false;
        }
        SSLEngineResult result = unwrap();
        switch (result.getStatus()) {
            case BUFFER_UNDERFLOW -> netReadUnderflow = true;
            case BUFFER_OVERFLOW -> growAppRead();
            case CLOSED -> throw new EOFException("Connection to " + id + " closed during the TLS handshake");
            default -> { }
        }
        return true;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int total = moveAppData(dst);
        boolean peerClosed = false;
        boolean socketDrained = false;
        while (dst.hasRemaining() && !closeNotifyReceived) {
            if (netRead.position() == 0 || netReadUnderflow) {
                if (socketDrained) {
                    break;
                }
                ensureNetReadRoom();
                int room = netRead.remaining();
                int read = io.read(netRead);
                if (read < 0) {
                    peerClosed = true;
                    break;
                }
                if (read == 0) {
                    break;
                }
                socketDrained = read < room;
                netReadUnderflow = false;
            }
            SSLEngineResult result;
            try {
                result = unwrap();
            } catch (SSLException e) {
                if (!appDataReceived) {
                    throw authenticationFailure("TLS connection to " + id + " failed before any response arrived "
                            + "(the broker may have rejected the client certificate)", e);
                }
                throw e;
            }
            switch (result.getStatus()) {
                case BUFFER_UNDERFLOW -> netReadUnderflow = true;
                case BUFFER_OVERFLOW -> {
                    if (appRead.position() == 0) {
                        growAppRead();
                    }
                }
                case CLOSED -> closeNotifyReceived = true;
                default -> handlePostHandshake(result.getHandshakeStatus());
            }
            total += moveAppData(dst);
        }
        if (total > 0) {
            appDataReceived = true;
            return total;
        }
        return (peerClosed || closeNotifyReceived) && appRead.position() == 0 ? -1 : 0;
    }

    /** TLS 1.3 key updates and session tickets arrive between records; answer what needs an answer. */
    private void handlePostHandshake(HandshakeStatus status) throws IOException {
        HandshakeStatus current = status;
        while (current == HandshakeStatus.NEED_TASK || current == HandshakeStatus.NEED_WRAP) {
            if (current == HandshakeStatus.NEED_TASK) {
                runDelegatedTasks();
            } else {
                if (netWrite.remaining() < packetSize && !flush()) {
                    return; // written by a later flush once the socket takes it
                }
                engine.wrap(EMPTY, netWrite);
                flush();
                if (hasPendingWrites()) {
                    key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
                }
            }
            current = engine.getHandshakeStatus();
        }
    }

    private SSLEngineResult unwrap() throws SSLException {
        netRead.flip();
        try {
            return engine.unwrap(netRead, appRead);
        } finally {
            netRead.compact();
        }
    }

    private int moveAppData(ByteBuffer dst) {
        if (appRead.position() == 0) {
            return 0;
        }
        appRead.flip();
        int n = Math.min(appRead.remaining(), dst.remaining());
        int limit = appRead.limit();
        appRead.limit(appRead.position() + n);
        dst.put(appRead);
        appRead.limit(limit);
        appRead.compact();
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) write(new ByteBuffer[] {src}, 0, 1);
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    /** Encrypts as much as fits while the socket keeps up; returns the plaintext bytes consumed. */
    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (!flush()) {
            return 0;
        }
        long consumed = 0;
        boolean socketFull = false;
        while (hasRemaining(srcs, offset, length)) {
            if (netWrite.remaining() < packetSize && !flush()) {
                socketFull = true;
                break;
            }
            SSLEngineResult result = engine.wrap(srcs, offset, length, netWrite);
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new EOFException("TLS connection to " + id + " is closed");
            }
            consumed += result.bytesConsumed();
            if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runDelegatedTasks();
            }
            if (result.bytesConsumed() == 0 && result.getStatus() != SSLEngineResult.Status.OK) {
                break;
            }
        }
        if (!socketFull) {
            flush();
        }
        return consumed;
    }

    private static boolean hasRemaining(ByteBuffer[] buffers, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (buffers[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    /** One write: what it leaves behind did not fit the socket buffer, and OP_WRITE says when it will. */
    @Override
    public boolean flush() throws IOException {
        if (netWrite.position() == 0) {
            return true;
        }
        netWrite.flip();
        try {
            io.write(netWrite);
        } finally {
            netWrite.compact();
        }
        return netWrite.position() == 0;
    }

    @Override
    public boolean hasBufferedData() {
        return appRead.position() > 0 || (netRead.position() > 0 && !netReadUnderflow && !closeNotifyReceived);
    }

    @Override
    public boolean hasPendingWrites() {
        return netWrite.position() > 0;
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    /** Sends close_notify if the socket takes it at once (never waits for the peer's), then closes. */
    @Override
    public void close() {
        try {
            if (handshakeStarted && socket.isConnected() && socket.isOpen()) {
                engine.closeOutbound();
                if (flush()) {
                    engine.wrap(EMPTY, netWrite);
                    flush();
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("Could not send close_notify to {}: {}", id, e.toString());
        } finally {
            try {
                socket.close();
            } catch (IOException e) {
                log.debug("Ignoring error while closing a socket", e);
            }
        }
    }

    private void runDelegatedTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private void ensureNetReadRoom() {
        if (netRead.hasRemaining()) {
            return;
        }
        // A record larger than the session's packet size was announced (the session grew it): make room.
        int wanted = Math.max(engine.getSession().getPacketBufferSize(), netRead.capacity() * 2);
        ByteBuffer bigger = ByteBuffer.allocate(wanted);
        netRead.flip();
        bigger.put(netRead);
        netRead = bigger;
    }

    private void growAppRead() {
        int wanted = Math.max(engine.getSession().getApplicationBufferSize(), appRead.capacity() * 2);
        ByteBuffer bigger = ByteBuffer.allocate(wanted);
        appRead.flip();
        bigger.put(appRead);
        appRead = bigger;
    }

    private SslAuthenticationException authenticationFailure(String message, SSLException cause) {
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        log.debug("{}: {}", message, detail, cause);
        return new SslAuthenticationException(message + ": " + detail, cause);
    }
}
