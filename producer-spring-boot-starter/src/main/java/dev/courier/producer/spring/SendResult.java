package dev.courier.producer.spring;

import dev.courier.producer.ProducerRecord;
import dev.courier.producer.RecordMetadata;

/**
 * What a {@link ProducerTemplate} send completes with: the record as sent and where the broker put it.
 *
 * @param producerRecord the record given to the producer
 * @param recordMetadata topic, partition, offset and timestamp acknowledged by the broker (offset -1 with
 *                       {@code acks=0})
 */
public record SendResult<K, V>(ProducerRecord<K, V> producerRecord, RecordMetadata recordMetadata) {
}
