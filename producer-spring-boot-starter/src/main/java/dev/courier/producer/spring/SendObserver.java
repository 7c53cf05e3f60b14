package dev.courier.producer.spring;

import dev.courier.producer.ProducerRecord;
import dev.courier.producer.RecordMetadata;

/**
 * Watches each send of a {@link ProducerTemplate} from the moment it is handed to the producer until the
 * broker's acknowledgement (or the failure). The starter's Micrometer timer and Observation are
 * implemented with it, so the core wiring needs neither library.
 */
@FunctionalInterface
public interface SendObserver {

    /**
     * Called on the sending thread just before {@code record} goes to the producer. The returned
     * completion is invoked exactly once: on the producer's callback thread when the outcome is known, or
     * on the sending thread if the producer refuses the record synchronously.
     */
    Completion onSend(ProducerRecord<?, ?> record);

    /**
     * Like {@link #onSend(ProducerRecord)}, for an observer that writes headers into the record (the trace
     * context): headers set on {@code headers} are sent with the record. By default it ignores {@code headers}.
     * The template calls this one when any of its observers overrides it, and otherwise {@code onSend(record)},
     * sparing each send the headers object.
     */
    default Completion onSend(ProducerRecord<?, ?> record, OutgoingHeaders headers) {
        return onSend(record);
    }

    /** The end of one observed send. */
    @FunctionalInterface
    interface Completion {

        /** Exactly one of {@code metadata} (success) and {@code exception} (failure) is non-null. */
        void onComplete(RecordMetadata metadata, Exception exception);
    }
}
