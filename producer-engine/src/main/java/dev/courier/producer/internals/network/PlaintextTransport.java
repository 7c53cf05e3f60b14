package dev.courier.producer.internals.network;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Bytes straight to and from the socket: no handshake, nothing buffered. */
final class PlaintextTransport implements TransportLayer {

    private static final Logger log = LoggerFactory.getLogger(PlaintextTransport.class);

    private final SocketChannel socket;

    PlaintextTransport(SocketChannel socket) {
        this.socket = socket;
    }

    @Override
    public boolean finishConnect() throws IOException {
        return socket.finishConnect();
    }

    @Override
    public boolean handshake() {
        return true;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return socket.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return socket.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return socket.write(srcs, offset, length);
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return socket.write(srcs);
    }

    @Override
    public boolean hasBufferedData() {
        return false;
    }

    @Override
    public boolean hasPendingWrites() {
        return false;
    }

    @Override
    public boolean flush() {
        return true;
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("Ignoring error while closing a socket", e);
        }
    }
}
