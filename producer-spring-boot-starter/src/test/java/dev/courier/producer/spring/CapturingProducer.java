package dev.courier.producer.spring;

import dev.courier.producer.Callback;
import dev.courier.producer.ConsumerGroupMetadata;
import dev.courier.producer.Metric;
import dev.courier.producer.OffsetAndMetadata;
import dev.courier.producer.PartitionInfo;
import dev.courier.producer.Producer;
import dev.courier.producer.ProducerCapacity;
import dev.courier.producer.ProducerRecord;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.TopicPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A producer without a broker for template tests: keeps each record sent with its callback, so that a test
 * decides when and how each send completes; or acknowledges at once, or refuses sends by throwing
 * {@link #refuseWith}.
 */
final class CapturingProducer implements Producer<String, String> {

    final List<ProducerRecord<String, String>> records = new ArrayList<>();
    final List<Callback> callbacks = new ArrayList<>();
    /** Thrown by the next sends when set. */
    RuntimeException refuseWith;
    /** When set, sends are acknowledged with it at once, inside {@code send}, and nothing is kept. */
    RecordMetadata acknowledgeAtOnce;

    /** Completes the {@code index}th send as acknowledged at offset {@code index}. */
    void acknowledge(int index) {
        ProducerRecord<String, String> record = records.get(index);
        callbacks.get(index).onCompletion(new RecordMetadata(record.topic(), 0, index, 0), null);
    }

    void fail(int index, Exception exception) {
        callbacks.get(index).onCompletion(null, exception);
    }

    @Override
    public CompletableFuture<RecordMetadata> send(ProducerRecord<String, String> record, Callback callback) {
        if (refuseWith != null) {
            throw refuseWith;
        }
        if (acknowledgeAtOnce != null) {
            callback.onCompletion(acknowledgeAtOnce, null);
            return null;
        }
        records.add(record);
        callbacks.add(callback);
        return new CompletableFuture<>();
    }

    @Override
    public CompletableFuture<RecordMetadata> send(ProducerRecord<String, String> record) {
        return send(record, (metadata, exception) -> { });
    }

    @Override
    public CompletableFuture<RecordMetadata> trySend(ProducerRecord<String, String> record, Callback callback) {
        return send(record, callback);
    }

    @Override
    public CompletableFuture<RecordMetadata> trySend(ProducerRecord<String, String> record) {
        return send(record);
    }

    @Override
    public ProducerCapacity capacity() {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Void> whenCapacity(int bytes) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int purge() {
        return 0;
    }

    @Override
    public void flush() {
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        return List.of();
    }

    @Override
    public void initTransactions() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void beginTransaction() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets,
                                         ConsumerGroupMetadata groupMetadata) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void commitTransaction() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void abortTransaction() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, Metric> metrics() {
        return Map.of();
    }

    @Override
    public void close() {
    }

    @Override
    public void close(Duration timeout) {
    }
}
