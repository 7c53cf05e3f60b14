package dev.courier.producer;

import java.util.Map;

/**
 * Sees every record before it is serialized and every outcome before the caller's callback.
 * Set with {@code interceptor.classes}; several run in the order given.
 *
 * <p>{@link #onSend} runs on the caller's thread; {@link #onAcknowledgement} on the callback thread.
 * An exception thrown by an interceptor is logged and ignored.
 */
public interface ProducerInterceptor<K, V> extends AutoCloseable {

    /** Receives the producer's configuration once, before first use. */
    default void configure(Map<String, ?> configs) {
    }

    /** May return the record unchanged or a replacement. */
    ProducerRecord<K, V> onSend(ProducerRecord<K, V> record);

    /** Exactly one of {@code metadata} and {@code exception} is non-null. */
    void onAcknowledgement(RecordMetadata metadata, Exception exception);

    @Override
    default void close() {
    }
}
