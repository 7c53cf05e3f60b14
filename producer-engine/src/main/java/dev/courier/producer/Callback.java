package dev.courier.producer;

/**
 * Told once when a record is acknowledged or fails.
 *
 * <p>Exactly one call per record: {@code metadata} is non-null on success, {@code exception} on failure.
 * Callbacks run on the producer's callback thread, one at a time, in send order per partition. A slow
 * callback delays other callbacks but never the network I/O. {@link Producer#flush()} from a callback
 * would wait for that callback itself, so it throws {@code IllegalStateException}; {@link Producer#close()}
 * from a callback closes forcibly instead of waiting.
 */
@FunctionalInterface
public interface Callback {

    void onCompletion(RecordMetadata metadata, Exception exception);
}
