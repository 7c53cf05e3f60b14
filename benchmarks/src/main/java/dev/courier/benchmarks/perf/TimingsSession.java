package dev.courier.benchmarks.perf;

import dev.courier.producer.Callback;
import dev.courier.producer.CourierProducer;
import dev.courier.producer.DeliveryTimings;
import dev.courier.producer.ProducerConfig;
import dev.courier.producer.ProducerRecord;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.serialization.ByteArraySerializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Courier with {@code delivery.timings.enable} on or off, for {@link TimingsOverhead}. Both send through the same
 * callback, which reads {@link RecordMetadata#timings()} (so that, when on, the timings are really consumed, as an
 * application that wants them would) before telling the round's {@link Ack}: the only difference between the two
 * is the engine's setting. The callbacks are made before the round, like the acks.
 */
final class TimingsSession extends MeasuredSession {

    private final CourierProducer<byte[], byte[]> producer;
    private ProducerRecord<byte[], byte[]>[] records;
    private TimingsReader[] readers;
    /** Written by the producer's callback thread only; read once the round's acks have all completed. */
    private long recordsWithTimings;
    private long timingsSumMs;

    TimingsSession(boolean timings, String bootstrapServers, Map<String, Object> settings, String clientId) {
        super(clientId);
        Map<String, Object> config = clientConfig(settings, bootstrapServers, clientId);
        config.put(ProducerConfig.DELIVERY_TIMINGS_ENABLE, String.valueOf(timings));
        producer = new CourierProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    List<String> threadNamePrefixes() {
        return courierThreads(clientId);
    }

    @Override
    int partitionsFor(String topic) {
        return producer.partitionsFor(topic).size();
    }

    @Override
    void prepare(String topic, byte[][] values) {
        records = courierRecords(topic, values);
        readers = new TimingsReader[values.length];
        for (int i = 0; i < readers.length; i++) {
            readers[i] = new TimingsReader();
        }
    }

    @Override
    void send(int index, Ack ack) {
        TimingsReader reader = readers[index];
        reader.ack = ack;
        producer.send(records[index], reader);
        records[index] = null;
        readers[index] = null;
    }

    /** Records of the last round whose metadata carried timings (all of them when on, none when off). */
    long recordsWithTimings() {
        return recordsWithTimings;
    }

    /** The sum of those records' {@link DeliveryTimings#totalMs()}: what the callback made of them. */
    long timingsSumMs() {
        return timingsSumMs;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }

    /** Reads the record's timings, then acknowledges it. */
    private final class TimingsReader implements Callback {
        Ack ack;

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            DeliveryTimings timings = metadata == null ? null : metadata.timings();
            // The same writes with timings off as on: a field written per record only when on would put a cache
            // line's traffic between the completion and caller threads into the "on" rounds alone.
            boolean timed = timings != null;
            recordsWithTimings += timed ? 1 : 0;
            timingsSumMs += timed ? timings.totalMs() : 0;
            ack.onCompletion(metadata, exception);
        }
    }
}
