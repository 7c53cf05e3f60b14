package dev.courier.producer;

import java.util.concurrent.CompletionStage;

/**
 * What a {@link ProducerProcessor} needs from a producer: a send that neither blocks nor fails for lack of
 * room, and the capacity signal. {@link CourierProducer} provides it; unit tests fake it.
 */
interface RecordSink<K, V> {

    /**
     * Sends {@code record} if there is room now.
     *
     * @return 0 when it was taken ({@code callback} will run once, on another thread), else the bytes of room it
     *         needed, at least 1 ({@code callback} will not run)
     * @throws IllegalStateException if the producer is closed
     */
    long offer(ProducerRecord<K, V> record, Callback callback);

    /** What could be taken now. */
    ProducerCapacity capacity();

    /** Completes on another thread once {@code bytes} and one record's room are free (see {@link Producer#whenCapacity}). */
    CompletionStage<Void> whenCapacity(long bytes);
}
