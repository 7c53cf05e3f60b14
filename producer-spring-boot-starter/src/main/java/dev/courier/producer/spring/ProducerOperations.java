package dev.courier.producer.spring;

import dev.courier.producer.ProducerRecord;
import dev.courier.producer.SendOutcome;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * Publishing operations of {@link ProducerTemplate}.
 *
 * <p>Every send returns a future that completes when the broker acknowledges the record (with its
 * partition and offset) or when delivery fails; it completes on the producer's callback thread, so do not
 * block there. A send throws, instead of returning a future, only when the record cannot be accepted at
 * all: {@link ProducerStoppedException} after shutdown began, a serialization failure, or no default
 * topic for {@code sendDefault}.
 */
public interface ProducerOperations<K, V> {

    /** Sends {@code value} without a key (the producer spreads keyless records over partitions). */
    CompletableFuture<SendResult<K, V>> send(String topic, V value);

    /** Sends {@code value} with {@code key}; records with the same key go to the same partition. */
    CompletableFuture<SendResult<K, V>> send(String topic, K key, V value);

    /** Sends to a given partition; a null partition lets the producer choose. */
    CompletableFuture<SendResult<K, V>> send(String topic, Integer partition, K key, V value);

    /** Sends a fully built record (timestamp, headers). */
    CompletableFuture<SendResult<K, V>> send(ProducerRecord<K, V> record);

    /** Sends to {@code courier.producer.default-topic}. */
    CompletableFuture<SendResult<K, V>> sendDefault(V value);

    /** Sends with {@code key} to {@code courier.producer.default-topic}. */
    CompletableFuture<SendResult<K, V>> sendDefault(K key, V value);

    /**
     * As {@link #send(ProducerRecord)} but never blocks: when the producer's {@code buffer.memory} (or
     * {@code max.buffered.records}) has no room now, the record is refused and the returned future fails with
     * {@link dev.courier.producer.errors.BufferExhaustedException} (on the producer's callback thread, right
     * away, after the listener was told, like every other outcome).
     */
    CompletableFuture<SendResult<K, V>> trySend(ProducerRecord<K, V> record);

    /**
     * Sends every record {@code records} emits, with back-pressure, and publishes each record's outcome in the
     * order the records came. Nothing happens until the returned publisher is subscribed (each subscription
     * subscribes to {@code records} anew). Records are requested only while the producer has buffer room and
     * outcomes are published only as requested, so neither side ever blocks a thread or fails a record for lack
     * of room. Upstream completion or error reaches the subscriber after the last outcome; cancelling the
     * subscription cancels {@code records} (records received and not yet sent are then dropped).
     *
     * <p>The producer is chosen now, as for {@code send}: inside a transaction it is the transaction's, so
     * consume the publisher to its end before the transaction ends (e.g. {@code blockLast()} inside
     * {@code executeInTransaction}).
     *
     * @throws ProducerStoppedException after shutdown began
     * @throws IllegalStateException    on a transactional template outside a transaction, unless
     *                                  non-transactional sends are allowed
     */
    Flow.Publisher<SendOutcome<K, V>> sendAll(Flow.Publisher<ProducerRecord<K, V>> records);

    /** Sends everything buffered now and returns when every earlier send is complete. */
    void flush();
}
