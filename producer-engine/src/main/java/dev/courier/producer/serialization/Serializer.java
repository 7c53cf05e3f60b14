package dev.courier.producer.serialization;

import dev.courier.producer.Header;
import java.util.List;
import java.util.Map;

/**
 * Turns keys or values into bytes on the caller's thread.
 *
 * <p>Implementations must be thread-safe: {@code send} may be called from many threads.
 */
@FunctionalInterface
public interface Serializer<T> extends AutoCloseable {

    /** Receives the producer's configuration once, before first use. */
    default void configure(Map<String, ?> configs, boolean isKey) {
    }

    /** Serializes {@code data}; {@code null} should map to {@code null}. */
    byte[] serialize(String topic, T data);

    /** Serializes with access to the record's headers (read-only). */
    default byte[] serialize(String topic, List<Header> headers, T data) {
        return serialize(topic, data);
    }

    @Override
    default void close() {
    }
}
