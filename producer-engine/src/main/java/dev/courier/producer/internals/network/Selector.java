package dev.courier.producer.internals.network;

import dev.courier.producer.errors.AuthenticationException;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Non-blocking multi-connection transport over Java NIO: connects, writes size-prefixed frames
 * ({@link NetworkSend}) and reads them back ({@link NetworkReceive}), one frame in flight per
 * connection in each direction.
 *
 * <p>Threading: every method except {@link #wakeup()} belongs to the single thread that calls
 * {@link #poll(long)} (the sender thread). The result lists describe the last poll only and are
 * cleared at the start of the next one.
 *
 * <p>OP_WRITE is registered only while a send is being written, so an idle connection never makes
 * {@code select} spin. A connection closed by the peer or failing with an I/O error is reported in
 * {@link #disconnected()}; one closed locally with {@link #close(String)} is not.
 *
 * <p>Bytes go through each connection's {@link TransportLayer} (plaintext or TLS). A connection counts as
 * connected only once its transport's handshake is done. A transport holding decrypted bytes that the last read
 * could not take is read again in the next poll, which then does not wait in {@code select}.
 */
public final class Selector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Selector.class);

    /** Per connection; produce and metadata responses are far smaller, so one read takes several. */
    static final int READ_BUFFER_BYTES = 16 * 1024;

    private final java.nio.channels.Selector nioSelector;
    private final WakeupPipe wakeupPipe;
    private final Consumer<SelectionKey> selectedKeyHandler = this::onSelected;
    private final int maxReceiveSize;
    private final int sendBufferBytes;
    private final int receiveBufferBytes;
    private final TransportLayer.Factory transports;

    private final Map<String, Connection> channels = new HashMap<>();
    private final List<Connection> immediatelyConnected = new ArrayList<>();
    /** Connections whose transport holds bytes the socket will not signal; read by the next poll. */
    private final Set<Connection> withBufferedData = new LinkedHashSet<>();

    private final List<String> connected = new ArrayList<>();
    private final List<NetworkSend> completedSends = new ArrayList<>();
    /** Sends that {@link #send} wrote completely at once; reported by the next poll, like any other. */
    private final List<NetworkSend> sendsCompletedEagerly = new ArrayList<>();
    private final List<NetworkReceive> completedReceives = new ArrayList<>();
    private final Map<String, IOException> disconnected = new LinkedHashMap<>();

    /**
     * @param maxReceiveSize     largest frame accepted from a peer; a bigger announced size closes
     *                           the connection (guards against reading garbage as a size). Non-positive
     *                           means no limit.
     * @param sendBufferBytes    SO_SNDBUF, or -1 for the OS default
     * @param receiveBufferBytes SO_RCVBUF, or -1 for the OS default
     */
    public Selector(int maxReceiveSize, int sendBufferBytes, int receiveBufferBytes) {
        this(maxReceiveSize, sendBufferBytes, receiveBufferBytes, TransportLayer.Factory.PLAINTEXT);
    }

    /** As {@link #Selector(int, int, int)}, with connections over the transports {@code transports} makes. */
    public Selector(int maxReceiveSize, int sendBufferBytes, int receiveBufferBytes,
                    TransportLayer.Factory transports) {
        this.transports = transports;
        this.maxReceiveSize = maxReceiveSize <= 0 ? Integer.MAX_VALUE : maxReceiveSize;
        this.sendBufferBytes = sendBufferBytes;
        this.receiveBufferBytes = receiveBufferBytes;
        try {
            this.nioSelector = java.nio.channels.Selector.open();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot open an NIO selector", e);
        }
        try {
            this.wakeupPipe = new WakeupPipe(nioSelector);
        } catch (IOException e) {
            try {
                nioSelector.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new java.io.UncheckedIOException("Cannot open the selector's wake-up pipe", e);
        }
    }

    /**
     * Starts a non-blocking connect. Completion shows up in {@link #connected()} (or
     * {@link #disconnected()} on failure) after a later poll.
     *
     * @throws IOException if the connect fails at once (e.g. unresolvable host); nothing is registered then
     */
    public void connect(String id, InetSocketAddress address) throws IOException {
        if (channels.containsKey(id)) {
            throw new IllegalStateException("There is already a connection for id " + id);
        }
        SocketChannel socket = SocketChannel.open();
        SelectionKey key = null;
        try {
            socket.configureBlocking(false);
            socket.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (sendBufferBytes > 0) {
                socket.setOption(StandardSocketOptions.SO_SNDBUF, sendBufferBytes);
            }
            if (receiveBufferBytes > 0) {
                socket.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
            }
            boolean connectedNow = socket.connect(address);
            key = socket.register(nioSelector, connectedNow ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT);
            Connection connection = new Connection(id, socket, key, transports.create(socket, key, address));
            key.attach(connection);
            if (connectedNow) {
                try {
                    connection.connected = connection.transport.handshake();
                } catch (AuthenticationException e) {
                    throw new AuthenticationFailure(e);
                }
            }
            channels.put(id, connection);
            if (connection.connected) {
                immediatelyConnected.add(connection);
            }
        } catch (IOException | UnresolvedAddressException | java.nio.channels.UnsupportedAddressTypeException e) {
            if (key != null) {
                key.cancel();
            }
            closeQuietly(socket);
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException("Cannot connect to " + address + ": " + e, e);
        }
    }

    /**
     * Queues a frame on its connection; it is written during the following polls.
     *
     * @throws IllegalStateException if the connection is unknown, not yet connected, or still
     *                               writing an earlier send (callers check {@link #hasPendingSend})
     */
    public void send(NetworkSend send) {
        Connection connection = channels.get(send.destination());
        if (connection == null || !connection.connected) {
            throw new IllegalStateException("No ready connection for " + send.destination());
        }
        if (connection.send != null) {
            throw new IllegalStateException("A send is still in progress on connection " + send.destination());
        }
        connection.send = send;
        if (writeEagerly(connection)) {
            return;
        }
        try {
            connection.key.interestOps(connection.key.interestOps() | SelectionKey.OP_WRITE);
        } catch (CancelledKeyException e) {
            // The next poll reports the disconnect; the send is dropped with the connection.
            log.debug("Connection {} was cancelled while queueing a send", send.destination());
        }
    }

    /**
     * Writes a new send at once: a request usually fits the socket buffer, and writing it now saves
     * registering OP_WRITE, a select round and unregistering it again. When it does not complete (or
     * fails, which the poll that follows sees again and reports as a disconnect), OP_WRITE takes over.
     */
    private boolean writeEagerly(Connection connection) {
        NetworkSend send = connection.send;
        try {
            send.writeTo(connection.transport);
        } catch (IOException e) {
            return false;
        }
        if (!send.completed()) {
            return false;
        }
        connection.send = null;
        sendsCompletedEagerly.add(send);
        // TLS may still hold encrypted bytes of it: OP_WRITE flushes them
        return !connection.transport.hasPendingWrites();
    }

    /**
     * Does the I/O that is possible now, waiting up to {@code timeoutMs} for some. 0 means do not wait.
     */
    public void poll(long timeoutMs) throws IOException {
        if (timeoutMs < 0) {
            throw new IllegalArgumentException("timeout must be >= 0, was " + timeoutMs);
        }
        connected.clear();
        completedSends.clear();
        completedReceives.clear();
        disconnected.clear();
        for (int i = 0; i < sendsCompletedEagerly.size(); i++) {
            completedSends.add(sendsCompletedEagerly.get(i)); // addAll would copy into a new array first
        }
        sendsCompletedEagerly.clear();

        boolean block = wakeupPipe.enterSelect(
                immediatelyConnected.isEmpty() && timeoutMs > 0 && withBufferedData.isEmpty());
        if (block) {
            try {
                nioSelector.select(selectedKeyHandler, timeoutMs);
            } finally {
                wakeupPipe.leaveSelect();
            }
        } else {
            nioSelector.selectNow(selectedKeyHandler);
        }
        if (!immediatelyConnected.isEmpty()) {
            for (Connection connection : immediatelyConnected) {
                if (channels.get(connection.id) == connection) {
                    connected.add(connection.id);
                }
            }
            immediatelyConnected.clear();
        }
        readBufferedData();
    }

    /** Each key a select found ready; with a select's action the JDK keeps no selected-key set to iterate. */
    private void onSelected(SelectionKey key) {
        if (wakeupPipe.isWakeupKey(key)) {
            wakeupPipe.drain();
        } else {
            handle(key);
        }
    }

    /** Reads what transports hold from earlier polls; the socket may have nothing more to signal for them. */
    private void readBufferedData() {
        if (withBufferedData.isEmpty()) {
            return;
        }
        List<Connection> buffered = new ArrayList<>(withBufferedData);
        withBufferedData.clear();
        for (Connection connection : buffered) {
            if (channels.get(connection.id) != connection || !connection.connected) {
                continue;
            }
            try {
                readFrames(connection);
            } catch (IOException e) {
                closeWithError(connection, e);
            } catch (AuthenticationException e) {
                closeWithError(connection, new AuthenticationFailure(e));
            }
        }
    }

    private void handle(SelectionKey key) {
        Connection connection = (Connection) key.attachment();
        try {
            if (!key.isValid()) {
                throw new EOFException("Selection key of " + connection.id + " is no longer valid");
            }
            if (key.isConnectable()) {
                if (!connection.transport.finishConnect()) {
                    return;
                }
                key.interestOps((key.interestOps() & ~SelectionKey.OP_CONNECT) | SelectionKey.OP_READ);
                handshake(connection);
                return;
            }
            if (!connection.connected) {
                handshake(connection);
                return;
            }
            if (key.isReadable()) {
                readFrames(connection);
            }
            if (key.isValid() && key.isWritable()) {
                if (connection.send != null) {
                    write(connection);
                } else if (connection.transport.flush()) {
                    key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
                }
            }
        } catch (IOException e) {
            closeWithError(connection, e);
        } catch (AuthenticationException e) {
            closeWithError(connection, new AuthenticationFailure(e));
        } catch (CancelledKeyException e) {
            closeWithError(connection, new EOFException("Connection " + connection.id + " was cancelled"));
        }
    }

    /** Steps the transport's handshake; reports the connection as connected once it is done. */
    private void handshake(Connection connection) throws IOException {
        if (connection.transport.handshake()) {
            connection.connected = true;
            connected.add(connection.id);
            if (connection.transport.hasBufferedData()) {
                withBufferedData.add(connection);
            }
        }
    }

    /**
     * Reads what the socket has into the connection's read buffer with one call, then cuts every
     * complete frame out of it; a partial frame stays for the next poll. Responses are small, so one
     * read usually brings one or more whole frames (instead of one read for the size, one for the
     * payload and one to find the socket empty). A frame larger than the read buffer is read straight
     * into its own payload buffer.
     */
    private void readFrames(Connection connection) throws IOException {
        readFramesFromTransport(connection);
        if (connection.transport.hasBufferedData()) {
            withBufferedData.add(connection);
        }
    }

    private void readFramesFromTransport(Connection connection) throws IOException {
        while (true) {
            ByteBuffer payload = connection.payload;
            if (payload != null) {
                if (connection.transport.read(payload) < 0) {
                    throw new EOFException("Connection " + connection.id + " closed by the peer");
                }
                if (payload.hasRemaining()) {
                    return;
                }
                payload.flip();
                completedReceives.add(new NetworkReceive(connection.id, payload));
                connection.payload = null;
            }
            ByteBuffer in = connection.readBuffer;
            int read = connection.transport.read(in);
            if (read < 0) {
                throw new EOFException("Connection " + connection.id + " closed by the peer");
            }
            in.flip();
            try {
                cutFrames(connection, in);
            } finally {
                in.compact();
            }
            // A read that left room drained the socket; a full buffer or a large frame means read on.
            if (connection.payload == null && (read == 0 || in.hasRemaining())) {
                return;
            }
        }
    }

    /** Moves complete frames from {@code in} (read mode) to completedReceives; starts a large one. */
    private void cutFrames(Connection connection, ByteBuffer in) throws IOException {
        while (in.remaining() >= 4) {
            int size = in.getInt(in.position());
            if (size < 0 || size > maxReceiveSize) {
                throw new InvalidReceiveException("Invalid frame size " + size + " from " + connection.id
                        + " (largest allowed " + maxReceiveSize + ")");
            }
            int available = in.remaining() - 4;
            if (available < size && 4 + size <= in.capacity()) {
                return; // the rest of this frame fits the buffer: wait for it there
            }
            in.position(in.position() + 4);
            ByteBuffer payload = ByteBuffer.allocate(size);
            int limit = in.limit();
            in.limit(in.position() + Math.min(size, available));
            payload.put(in);
            in.limit(limit);
            if (payload.hasRemaining()) {
                connection.payload = payload; // larger than the read buffer: read the rest straight into it
                return;
            }
            payload.flip();
            completedReceives.add(new NetworkReceive(connection.id, payload));
        }
    }

    private void write(Connection connection) throws IOException {
        NetworkSend send = connection.send;
        send.writeTo(connection.transport);
        if (send.completed()) {
            connection.send = null;
            if (!connection.transport.hasPendingWrites()) {
                connection.key.interestOps(connection.key.interestOps() & ~SelectionKey.OP_WRITE);
            }
            completedSends.add(send);
        }
    }

    private void closeWithError(Connection connection, IOException error) {
        log.debug("Connection {} closed: {}", connection.id, error.toString());
        if (channels.get(connection.id) == connection) {
            channels.remove(connection.id);
        }
        withBufferedData.remove(connection);
        connection.close();
        disconnected.put(connection.id, error);
    }

    /** Connections whose connect completed during the last poll. */
    public List<String> connected() {
        return connected;
    }

    /** Sends fully written during the last poll. */
    public List<NetworkSend> completedSends() {
        return completedSends;
    }

    /** Frames read during the last poll, in arrival order per connection. */
    public List<NetworkReceive> completedReceives() {
        return completedReceives;
    }

    /** Connections lost during the last poll, with the cause (an EOFException for a peer close). */
    public Map<String, IOException> disconnected() {
        return disconnected;
    }

    /** True when the connection is established and can take a send (when none is pending). */
    public boolean isChannelReady(String id) {
        Connection connection = channels.get(id);
        return connection != null && connection.connected;
    }

    public boolean hasPendingSend(String id) {
        Connection connection = channels.get(id);
        return connection != null && connection.send != null;
    }

    /** True when a connection (connected or still connecting) exists for the id. */
    public boolean isRegistered(String id) {
        return channels.containsKey(id);
    }

    /** Closes one connection now, dropping any unfinished send; not reported as a disconnect. */
    public void close(String id) {
        Connection connection = channels.remove(id);
        if (connection != null) {
            withBufferedData.remove(connection);
            connection.close();
            sendsCompletedEagerly.removeIf(send -> send.destination().equals(id));
        }
    }

    /** Interrupts a blocking poll, or makes the next one return at once; safe from any thread. */
    public void wakeup() {
        wakeupPipe.wakeup();
    }

    @Override
    public void close() {
        for (Connection connection : new ArrayList<>(channels.values())) {
            connection.close();
        }
        channels.clear();
        immediatelyConnected.clear();
        withBufferedData.clear();
        wakeupPipe.close();
        try {
            nioSelector.close();
        } catch (IOException e) {
            log.warn("Failed to close the NIO selector", e);
        }
    }

    private static void closeQuietly(SocketChannel socket) {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("Ignoring error while closing a socket", e);
        }
    }

    /** One connection and its in-progress frames; touched only by the polling thread. */
    private static final class Connection {
        final String id;
        final SocketChannel socket;
        final SelectionKey key;
        final TransportLayer transport;
        /** Bytes read but not yet cut into frames; write mode between polls. */
        final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
        /** A frame larger than the read buffer, being read straight into its own buffer. */
        ByteBuffer payload;
        NetworkSend send;
        boolean connected;

        Connection(String id, SocketChannel socket, SelectionKey key, TransportLayer transport) {
            this.id = id;
            this.socket = socket;
            this.key = key;
            this.transport = transport;
        }

        void close() {
            key.cancel();
            send = null;
            payload = null;
            transport.close();
        }
    }
}
