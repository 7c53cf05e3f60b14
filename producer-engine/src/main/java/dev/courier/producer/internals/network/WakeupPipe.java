package dev.courier.producer.internals.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wakes the {@link Selector}'s polling thread from other threads, instead of {@code java.nio.channels.Selector#wakeup}.
 *
 * <p>Why: the JDK's wake-up writes to its eventfd while holding a lock that the woken thread takes at once to
 * clear the wake-up. The woken thread, already running on the other core, then often blocks on that lock and is
 * woken a second time when the caller lets go of it: two more futex calls and a context switch. With a wake-up per
 * new batch that was about one wake-up in ten at 20,000 records/s. Here callers and the polling thread share only
 * an atomic flag: a caller writes one byte when it is the first to set the flag, and the polling thread reads the
 * bytes, then clears the flag.
 *
 * <p>No wake-up is lost: a caller whose record the polling thread may not have seen yet either finds the flag clear
 * (and writes a byte, which makes the next select return) or finds it set by an earlier caller, whose byte the
 * polling thread has not read yet; the flag is cleared only after the bytes are read, and the polling thread looks
 * at its work again after that.
 */
final class WakeupPipe implements AutoCloseable {

    private static final ByteBuffer ONE_BYTE = ByteBuffer.allocate(1);

    private final Pipe pipe;
    private final SelectionKey key;
    private final AtomicBoolean pending = new AtomicBoolean();
    /** Polling thread only. */
    private final ByteBuffer drainBuffer = ByteBuffer.allocate(64);

    WakeupPipe(java.nio.channels.Selector selector) throws IOException {
        this.pipe = Pipe.open();
        try {
            pipe.source().configureBlocking(false);
            pipe.sink().configureBlocking(false);
            this.key = pipe.source().register(selector, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /** Makes the current or next select return; any thread. */
    void wakeup() {
        if (pending.compareAndSet(false, true)) {
            try {
                pipe.sink().write(ONE_BYTE.duplicate());
            } catch (IOException e) {
                // Closed with the selector: there is no poll left to wake.
                pending.set(false);
            }
        }
    }

    boolean isWakeupKey(SelectionKey selected) {
        return selected == key;
    }

    /** Reads the wake-up bytes, then allows the next wake-up to write again (polling thread). */
    void drain() {
        try {
            int read;
            do {
                read = pipe.source().read(drainBuffer.clear());
            } while (read == drainBuffer.capacity()); // usually one byte: one read
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the selector's wake-up pipe", e);
        }
        pending.set(false);
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            pipe.sink().close();
        } catch (IOException ignored) {
            // closing
        }
        try {
            pipe.source().close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
