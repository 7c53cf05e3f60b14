package dev.courier.producer;

/**
 * What became of one record a {@link ProducerProcessor} received: its metadata when the broker acknowledged
 * it, or the exception it failed with (exactly one of the two is set).
 */
public record SendOutcome<K, V>(ProducerRecord<K, V> record, RecordMetadata metadata, Exception exception) {

    public boolean isSuccess() {
        return exception == null;
    }
}
