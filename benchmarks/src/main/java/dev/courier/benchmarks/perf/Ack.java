package dev.courier.benchmarks.perf;

/**
 * The completion callback of one record, for either client (it implements both callback interfaces), and
 * for a {@code ProducerTemplate} future ({@code whenComplete}).
 * Allocated before a round starts, so the caller thread's allocation during the round is the producer's.
 */
final class Ack implements dev.courier.producer.Callback, org.apache.kafka.clients.producer.Callback,
        java.util.function.BiConsumer<Object, Throwable> {

    private final RoundRecorder recorder;
    private final int index;

    Ack(RoundRecorder recorder, int index) {
        this.recorder = recorder;
        this.index = index;
    }

    @Override
    public void onCompletion(dev.courier.producer.RecordMetadata metadata, Exception exception) {
        recorder.completed(index, exception);
    }

    @Override
    public void onCompletion(org.apache.kafka.clients.producer.RecordMetadata metadata, Exception exception) {
        recorder.completed(index, exception);
    }

    @Override
    public void accept(Object result, Throwable error) {
        recorder.completed(index, error == null ? null
                : error instanceof Exception e ? e : new IllegalStateException(error));
    }
}
