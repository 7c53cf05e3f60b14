package dev.courier.producer.spring;

import dev.courier.producer.Producer;
import dev.courier.producer.ProducerRecord;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * What a transactional {@link ProducerTemplate} delegates to: which producer a send uses (the one of the
 * transaction in progress on this thread) and {@link ProducerTemplate#executeInTransaction local transactions}.
 * Implemented by {@code dev.courier.producer.spring.transaction.TransactionalProducers}; kept free of Spring's
 * transaction types so the template loads without spring-tx.
 */
public interface TemplateTransactions<K, V> {

    /**
     * The producer for {@code record} now ({@code record} is null for a stream of records).
     *
     * @throws IllegalStateException outside a transaction, unless non-transactional sends are allowed
     */
    Producer<K, V> producerFor(ProducerRecord<?, ?> record);

    /** The producer of the transaction in progress on this thread, or null. */
    Producer<K, V> currentProducer();

    /**
     * Whether the transaction in progress on this thread is still open, as a check that may be made later from
     * any thread (a stream of records checks it before each one); null outside a transaction.
     */
    default BooleanSupplier currentTransactionOpen() {
        return null;
    }

    /** Runs {@code callback} in a new transaction: commits after it, aborts and rethrows when it throws. */
    <T> T executeInTransaction(ProducerOperations<K, V> operations, Function<ProducerOperations<K, V>, T> callback);
}
