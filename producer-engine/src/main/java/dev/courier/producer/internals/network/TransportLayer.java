package dev.courier.producer.internals.network;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * What a {@link Selector} connection reads and writes through: plaintext bytes in and out, whatever the wire
 * carries. {@link PlaintextTransport} passes them straight to the socket; {@link SslTransport} runs TLS over it.
 *
 * <p>The selector calls {@link #handshake()} after the TCP connect until it returns true, and only then reports
 * the connection as connected, so a handshake counts against the connection-setup timeout. While handshaking the
 * transport sets the key's interest ops itself; afterwards the selector does, keeping OP_WRITE while
 * {@link #hasPendingWrites()}.
 *
 * <p>Sender thread only, like the selector.
 */
public interface TransportLayer extends ReadableByteChannel, GatheringByteChannel {

    /** Completes the TCP connect; true once connected. */
    boolean finishConnect() throws IOException;

    /**
     * Advances the handshake as far as the socket allows now.
     *
     * @return true once application data may flow (at once for plaintext)
     * @throws dev.courier.producer.errors.AuthenticationException if the peer is not trusted or rejected us
     */
    boolean handshake() throws IOException;

    /**
     * True when {@link #read} can return bytes without the socket having any (decrypted or received bytes kept
     * inside the transport). A partial TLS record waiting for the rest does not count, so this never makes the
     * selector spin.
     */
    boolean hasBufferedData();

    /** True when bytes {@link #write} accepted are not yet all on the socket. */
    boolean hasPendingWrites();

    /** Writes what {@link #hasPendingWrites()} holds, as far as the socket takes it; true when nothing is left. */
    boolean flush() throws IOException;

    /** Closes the connection; TLS first sends close_notify if the socket takes it. Never throws. */
    @Override
    void close();

    /** Makes the transport of a new connection; one per producer. */
    @FunctionalInterface
    interface Factory {

        Factory PLAINTEXT = (socket, key, address) -> new PlaintextTransport(socket);

        /** @param address the address dialled; its host string is what TLS verifies the certificate against */
        TransportLayer create(SocketChannel socket, SelectionKey key, InetSocketAddress address);
    }
}
