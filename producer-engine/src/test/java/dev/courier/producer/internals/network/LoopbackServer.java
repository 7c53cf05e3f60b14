package dev.courier.producer.internals.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A blocking TCP server on loopback for Selector tests. In echo mode every accepted connection
 * gets a thread copying its input back; otherwise the test takes accepted sockets with
 * {@link #nextConnection()} and drives them by hand.
 */
final class LoopbackServer implements AutoCloseable {

    private final ServerSocket serverSocket;
    private final boolean echo;
    private final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
    private final List<Socket> all = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private LoopbackServer(boolean echo) throws IOException {
        this.echo = echo;
        this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "loopback-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static LoopbackServer echo() throws IOException {
        return new LoopbackServer(true);
    }

    static LoopbackServer manual() throws IOException {
        return new LoopbackServer(false);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), serverSocket.getLocalPort());
    }

    /** The next accepted connection (manual mode). */
    Socket nextConnection() throws InterruptedException {
        Socket socket = accepted.poll(30, TimeUnit.SECONDS);
        if (socket == null) {
            throw new IllegalStateException("No connection was accepted");
        }
        return socket;
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                socket.setTcpNoDelay(true);
                all.add(socket);
                if (echo) {
                    Thread pump = new Thread(() -> pump(socket), "loopback-echo");
                    pump.setDaemon(true);
                    pump.start();
                } else {
                    accepted.add(socket);
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pump(Socket socket) {
        byte[] buffer = new byte[8192];
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away; nothing to do
        }
    }

    static void write(Socket socket, byte[] bytes, int offset, int length) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(bytes, offset, length);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
        for (Socket socket : all) {
            socket.close();
        }
    }
}
