package dev.courier.producer;

/**
 * Where an acknowledged record's time went, in milliseconds of the producer's monotonic clock. Off unless
 * {@code delivery.timings.enable=true}; then {@link RecordMetadata#timings()} carries it to callbacks and
 * futures, and {@link ProducerEventListener.BatchCompleted} carries its batch's.
 *
 * <p>The phases follow each other: {@code metadataWaitMs} (the record waited for its topic's metadata before
 * it joined a batch: 0 for most records; for a batch, the longest any of its records waited), {@code lingerMs}
 * (the batch open for more records: from its creation until it was full or {@code linger.ms} had passed),
 * {@code queueMs} (ready but not sent: waiting for a connection, an in-flight slot, a producer id),
 * {@code retryMs} (failed attempts and their backoffs: from the first attempt's request to the last one's; 0
 * when the first succeeded) and {@code wireMs} (the last attempt, request to response). Linger and later
 * phases are the batch's: they add up to the time from {@code send} to the acknowledgement for the record that
 * opened the batch, while a record appended later lingered less. The records of a batch none of which waited
 * for metadata share one instance.
 *
 * @param metadataWaitMs time waiting for the topic's metadata
 * @param lingerMs       time the batch was open for more records
 * @param queueMs        time from ready to the first attempt's request
 * @param retryMs        time from the first attempt's request to the last attempt's
 * @param wireMs         time from the last attempt's request to its response (0 with {@code acks=0})
 * @param attempts       requests that carried the record, the successful one included
 */
public record DeliveryTimings(long metadataWaitMs, long lingerMs, long queueMs, long retryMs, long wireMs,
                              int attempts) {

    /** The same timings for a record that waited {@code waitMs} for metadata. */
    public DeliveryTimings withMetadataWait(long waitMs) {
        return new DeliveryTimings(waitMs, lingerMs, queueMs, retryMs, wireMs, attempts);
    }

    /** All phases together: from {@code send} (or, for a batch, its creation) to the acknowledgement. */
    public long totalMs() {
        return metadataWaitMs + lingerMs + queueMs + retryMs + wireMs;
    }
}
