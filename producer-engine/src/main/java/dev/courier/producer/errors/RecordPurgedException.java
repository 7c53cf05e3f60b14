package dev.courier.producer.errors;

/**
 * The record was purged before it was sent: {@code purge()} failed it while it was still buffered in the
 * producer (in a batch never handed to the network, or waiting for its topic's metadata). No broker saw it;
 * sending it again cannot duplicate it.
 */
public class RecordPurgedException extends CourierException {

    public RecordPurgedException(String message) {
        super(message);
    }
}
