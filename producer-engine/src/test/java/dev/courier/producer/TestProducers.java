package dev.courier.producer;

import dev.courier.test.EmbeddedKafka;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Producer configurations for tests. */
final class TestProducers {

    private TestProducers() {
    }

    /** A mutable configuration pointing at {@code kafka}, with test-friendly defaults. */
    static Map<String, Object> config(EmbeddedKafka kafka) {
        return config(kafka.bootstrapServers());
    }

    /** A mutable configuration pointing at {@code bootstrapServers}, with test-friendly defaults. */
    static Map<String, Object> config(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        config.put(ProducerConfig.LINGER_MS, 5);
        return config;
    }

    /** Sends records {@code key-i}/{@code value-i}, i from 0 to count-1, to {@code topic}; returns their futures. */
    static List<CompletableFuture<RecordMetadata>> sendNumbered(Producer<String, String> producer, String topic,
                                                                int count) {
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            futures.add(producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i)));
        }
        return futures;
    }

    /** The exception a completed future failed with, without its CompletionException wrapper; null if it succeeded. */
    static Throwable failureOf(CompletableFuture<?> future) {
        Throwable failure = future.handle((value, exception) -> exception).join();
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
