package dev.courier.producer.spring;

import dev.courier.producer.ProducerRecord;
import dev.courier.producer.RecordMetadata;

/**
 * Told about the outcome of every send made through a {@link ProducerTemplate}. Exactly one of its methods
 * is invoked per record the producer accepted, on the producer's callback thread, before the send's future
 * completes. Records refused synchronously (serialization failure, producer stopped) are reported to
 * {@link #onError} on the sending thread. Keep implementations quick: they delay every later callback.
 */
public interface ProducerListener<K, V> {

    /** The broker acknowledged {@code record}. */
    default void onSuccess(ProducerRecord<K, V> record, RecordMetadata metadata) {
    }

    /** {@code record} was not delivered; {@code metadata} is null unless the producer knew the partition. */
    default void onError(ProducerRecord<K, V> record, RecordMetadata metadata, Exception exception) {
    }
}
