package dev.courier.producer.spring;

import dev.courier.producer.ProducerRecord;

/**
 * Thrown by {@link ProducerTemplate} for a send after its producer began shutting down (or before it was
 * restarted). Nothing was accepted: the record is not on its way to Kafka.
 */
public class ProducerStoppedException extends IllegalStateException {

    private final transient ProducerRecord<?, ?> record;

    public ProducerStoppedException(String message, ProducerRecord<?, ?> record) {
        super(message);
        this.record = record;
    }

    /** The record that was refused. */
    public ProducerRecord<?, ?> record() {
        return record;
    }
}
