package dev.courier.benchmarks.standin;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;

/**
 * The server side of TLS for one stand-in connection: an {@link SSLEngine} over the connection's blocking socket
 * streams, seen as a plaintext {@link #input()} and {@link #output()}. Lean on purpose, since the stand-in shares the
 * CPU with the clients it measures: encrypted bytes are read in large chunks into one reused buffer, every complete
 * TLS record they hold is decrypted into a second reused buffer, and the connection copies its frames out of that.
 * Nothing is allocated per request.
 *
 * <p>{@link InputStream#available()} counts decrypted bytes only: a partial record must not make the connection
 * hold back its responses while it then blocks reading the rest.
 *
 * <p>Buffer modes: {@code netIn} and {@code netOut} in fill mode (bytes in [0, position)), {@code appIn} in read
 * mode (decrypted bytes in [position, limit)). The connection's thread only.
 */
final class StandInTls {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** Encrypted bytes read per socket read at most: several records, as the plaintext path's 256 KiB buffer. */
    private static final int NET_IN_BYTES = 256 * 1024;

    private final SSLEngine engine;
    private final InputStream socketIn;
    private final OutputStream socketOut;
    private final int appBufferSize;
    private final ByteBuffer netIn;
    private final ByteBuffer appIn;
    private final ByteBuffer netOut;
    private final Input input = new Input();
    private final Output output = new Output();
    private boolean inboundClosed;

    private StandInTls(SSLEngine engine, Socket socket) throws IOException {
        this.engine = engine;
        this.socketIn = socket.getInputStream();
        this.socketOut = socket.getOutputStream();
        int packetSize = engine.getSession().getPacketBufferSize();
        this.appBufferSize = engine.getSession().getApplicationBufferSize();
        this.netIn = ByteBuffer.allocate(Math.max(NET_IN_BYTES, packetSize));
        this.appIn = ByteBuffer.allocate(netIn.capacity() + appBufferSize);
        this.netOut = ByteBuffer.allocate(4 * packetSize);
    }

    /** Runs the server handshake over the socket (blocking), then hands out the plaintext streams. */
    static StandInTls accept(SSLEngine engine, Socket socket) throws IOException {
        StandInTls tls = new StandInTls(engine, socket);
        tls.handshake();
        return tls;
    }

    InputStream input() {
        return input;
    }

    OutputStream output() {
        return output;
    }

    private void handshake() throws IOException {
        engine.beginHandshake();
        appIn.clear(); // fill mode while handshaking: application data arriving with the client's Finished stays
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runDelegatedTasks();
                case NEED_WRAP -> {
                    ensureNetOutRoom();
                    if (engine.wrap(EMPTY, netOut).getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new EOFException("TLS engine closed during the handshake");
                    }
                    writeNetOut();
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    SSLEngineResult result = unwrapOnce();
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        readNet();
                    } else if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new EOFException("client closed the connection during the TLS handshake");
                    }
                }
                default -> {
                    appIn.flip();
                    return;
                }
            }
        }
    }

    private SSLEngineResult unwrapOnce() throws IOException {
        netIn.flip();
        try {
            return engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
        }
    }

    /** Blocks for more encrypted bytes; EOF if the socket has none. */
    private void readNet() throws IOException {
        if (!netIn.hasRemaining()) {
            throw new IOException("a TLS record larger than " + netIn.capacity() + " bytes");
        }
        int n = socketIn.read(netIn.array(), netIn.arrayOffset() + netIn.position(), netIn.remaining());
        if (n < 0) {
            throw new EOFException("client closed the connection");
        }
        netIn.position(netIn.position() + n);
    }

    /**
     * Decrypts every complete record {@code netIn} holds while {@code appIn} has room for one, reading the socket
     * (blocking) only when nothing at all was decrypted. False at the end of the stream.
     */
    private boolean decrypt() throws IOException {
        appIn.compact();
        try {
            while (appIn.remaining() >= appBufferSize) {
                SSLEngineResult result = unwrapOnce();
                switch (result.getStatus()) {
                    case BUFFER_UNDERFLOW -> {
                        if (appIn.position() > 0) {
                            return true;
                        }
                        if (!readNetOrEof()) {
                            return false;
                        }
                    }
                    case CLOSED -> {
                        inboundClosed = true;
                        return appIn.position() > 0;
                    }
                    case BUFFER_OVERFLOW -> {
                        return true; // cannot happen with the room checked above; let the reader drain first
                    }
                    default -> answerPostHandshake(result.getHandshakeStatus());
                }
            }
            return true;
        } finally {
            appIn.flip();
        }
    }

    private boolean readNetOrEof() throws IOException {
        try {
            readNet();
            return true;
        } catch (EOFException e) {
            inboundClosed = true;
            return false;
        }
    }

    /** Key updates and the like between records. */
    private void answerPostHandshake(HandshakeStatus status) throws IOException {
        HandshakeStatus current = status;
        while (current == HandshakeStatus.NEED_TASK || current == HandshakeStatus.NEED_WRAP) {
            if (current == HandshakeStatus.NEED_TASK) {
                runDelegatedTasks();
            } else {
                ensureNetOutRoom();
                engine.wrap(EMPTY, netOut);
                writeNetOut();
            }
            current = engine.getHandshakeStatus();
        }
    }

    private void runDelegatedTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private void ensureNetOutRoom() throws IOException {
        if (netOut.remaining() < engine.getSession().getPacketBufferSize()) {
            writeNetOut();
        }
    }

    private void writeNetOut() throws IOException {
        if (netOut.position() > 0) {
            socketOut.write(netOut.array(), netOut.arrayOffset(), netOut.position());
            netOut.clear();
        }
    }

    /** Decrypted bytes; reads block only when none are left. */
    private final class Input extends InputStream {

        @Override
        public int read() throws IOException {
            if (!appIn.hasRemaining() && (inboundClosed || !decrypt())) {
                return -1;
            }
            return appIn.get() & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!appIn.hasRemaining() && (inboundClosed || !decrypt())) {
                return -1;
            }
            int n = Math.min(len, appIn.remaining());
            appIn.get(b, off, n);
            return n;
        }

        @Override
        public int available() {
            return appIn.remaining();
        }
    }

    /** Encrypts what it is given into TLS records; they reach the socket on {@link #flush()} (or when full). */
    private final class Output extends OutputStream {

        /** The caller's last array, wrapped once: the connection writes from the same buffer every time. */
        private byte[] wrappedArray;
        private ByteBuffer wrapped;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (b != wrappedArray) {
                wrappedArray = b;
                wrapped = ByteBuffer.wrap(b);
            }
            wrapped.limit(off + len).position(off);
            while (wrapped.hasRemaining()) {
                ensureNetOutRoom();
                SSLEngineResult result = engine.wrap(wrapped, netOut);
                if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new EOFException("TLS engine closed");
                }
                if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runDelegatedTasks();
                }
            }
        }

        @Override
        public void flush() throws IOException {
            writeNetOut();
            socketOut.flush();
        }
    }
}
