package dev.courier.benchmarks.perf;

import dev.courier.producer.Callback;
import dev.courier.producer.CourierProducer;
import dev.courier.producer.ProducerProcessor;
import dev.courier.producer.ProducerRecord;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.SendOutcome;
import dev.courier.producer.errors.BufferExhaustedException;
import dev.courier.producer.serialization.ByteArraySerializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One raw {@link CourierProducer} for one round of {@link AdmissionModes}, handing it the records in one of three
 * ways: {@code send} (blocks while {@code buffer.memory} is full), {@code trySend} (never blocks; on
 * {@link BufferExhaustedException} the caller waits for {@code whenCapacity} and tries again), or its
 * {@link ProducerProcessor} (pulls the records as room allows; the caller only subscribes).
 */
abstract sealed class AdmissionSession extends MeasuredSession {

    /** How records reach the producer. */
    enum Variant {
        SEND("send"),
        TRY_SEND("trySend + whenCapacity"),
        PROCESSOR("Flow processor");

        final String displayName;

        Variant(String displayName) {
            this.displayName = displayName;
        }
    }

    final CourierProducer<byte[], byte[]> producer;
    ProducerRecord<byte[], byte[]>[] records;

    AdmissionSession(Map<String, Object> config, String clientId) {
        super(clientId);
        producer = new CourierProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static AdmissionSession open(Variant variant, String bootstrapServers, Map<String, Object> settings,
                                 String clientId) {
        Map<String, Object> config = clientConfig(settings, bootstrapServers, clientId);
        return switch (variant) {
            case SEND -> new Send(config, clientId);
            case TRY_SEND -> new TrySend(config, clientId);
            case PROCESSOR -> new Processor(config, clientId);
        };
    }

    /** Times the caller waited for room (trySend refused, then whenCapacity), over the round; 0 for the others. */
    long refusals() {
        return 0;
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
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }

    /** The blocking {@code send} with a callback: the baseline. */
    static final class Send extends AdmissionSession {

        Send(Map<String, Object> config, String clientId) {
            super(config, clientId);
        }

        @Override
        void send(int index, Ack ack) {
            producer.send(records[index], ack);
            records[index] = null;
        }
    }

    /**
     * {@code trySend} with a callback that ignores the refusal's own failure (the record is tried again); on a
     * refusal the caller waits for {@code whenCapacity(batch.size)}, as the README suggests, and tries again.
     */
    static final class TrySend extends AdmissionSession {
        private final int roomToWaitFor;
        private Retrying[] callbacks;
        private long refusals;

        TrySend(Map<String, Object> config, String clientId) {
            super(config, clientId);
            int batchSize = Integer.parseInt(String.valueOf(config.getOrDefault("batch.size", "16384")));
            long bufferMemory = Long.parseLong(String.valueOf(config.getOrDefault("buffer.memory", "33554432")));
            roomToWaitFor = (int) Math.min(batchSize, bufferMemory);
        }

        @Override
        void prepare(String topic, byte[][] values) {
            super.prepare(topic, values);
            callbacks = new Retrying[values.length]; // outside the measured window, as the records
            for (int i = 0; i < values.length; i++) {
                callbacks[i] = new Retrying();
            }
        }

        @Override
        void send(int index, Ack ack) {
            Retrying callback = callbacks[index];
            callback.ack = ack;
            while (producer.trySend(records[index], callback).isCompletedExceptionally()) {
                refusals++;
                producer.whenCapacity(roomToWaitFor).toCompletableFuture().join();
            }
            records[index] = null;
            callbacks[index] = null;
        }

        @Override
        long refusals() {
            return refusals;
        }

        /** Passes the outcome on, except a refusal's: that record is offered again. */
        private static final class Retrying implements Callback {
            volatile Ack ack;

            @Override
            public void onCompletion(RecordMetadata metadata, Exception exception) {
                if (!(exception instanceof BufferExhaustedException)) {
                    ack.onCompletion(metadata, exception);
                }
            }
        }
    }

    /**
     * The producer's {@link ProducerProcessor} between a publisher of the prepared records and a subscriber that
     * acks each outcome (they come in order). The caller only subscribes: records are emitted, and so serialized
     * and appended, on whichever thread the processor requests them from (mostly the producer's callback thread,
     * where room comes back), so the caller's CPU is small and the callback thread's larger.
     */
    static final class Processor extends AdmissionSession {

        Processor(Map<String, Object> config, String clientId) {
            super(config, clientId);
        }

        @Override
        void send(int index, Ack ack) {
            throw new UnsupportedOperationException("the processor pulls its records: throughput rounds only");
        }

        @Override
        void sendAll(long[] startNanos, Ack[] acks) {
            ProducerProcessor<byte[], byte[]> processor = producer.processor();
            processor.subscribe(new AckingSubscriber(acks));
            new PreparedRecords(records, startNanos).subscribe(processor);
        }
    }

    /** Emits the prepared records as requested, stamping each one's send time; one thread at a time. */
    private static final class PreparedRecords implements Flow.Publisher<ProducerRecord<byte[], byte[]>> {
        private final ProducerRecord<byte[], byte[]>[] records;
        private final long[] startNanos;

        PreparedRecords(ProducerRecord<byte[], byte[]>[] records, long[] startNanos) {
            this.records = records;
            this.startNanos = startNanos;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ProducerRecord<byte[], byte[]>> subscriber) {
            subscriber.onSubscribe(new Flow.Subscription() {
                private final AtomicLong demand = new AtomicLong();
                private final AtomicInteger wip = new AtomicInteger();
                private volatile boolean cancelled;
                private int next;

                @Override
                public void request(long n) {
                    demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
                    if (wip.getAndIncrement() != 0) {
                        return; // the thread emitting now sees the new demand
                    }
                    do {
                        while (demand.get() > 0 && !cancelled && next < records.length) {
                            demand.decrementAndGet();
                            int i = next++;
                            ProducerRecord<byte[], byte[]> record = records[i];
                            records[i] = null;
                            startNanos[i] = System.nanoTime();
                            subscriber.onNext(record);
                        }
                        if (next == records.length && !cancelled) {
                            cancelled = true; // done: complete once
                            subscriber.onComplete();
                        }
                    } while (wip.decrementAndGet() != 0);
                }

                @Override
                public void cancel() {
                    cancelled = true;
                }
            });
        }
    }

    /** Requests every outcome and acks them in order; an error ends the records still waiting with it. */
    private static final class AckingSubscriber implements Flow.Subscriber<SendOutcome<byte[], byte[]>> {
        private final Ack[] acks;
        private int next;

        AckingSubscriber(Ack[] acks) {
            this.acks = acks;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(SendOutcome<byte[], byte[]> outcome) {
            acks[next++].onCompletion(outcome.metadata(), outcome.exception());
        }

        @Override
        public void onError(Throwable throwable) {
            Exception failure = throwable instanceof Exception e ? e : new IllegalStateException(throwable);
            while (next < acks.length) {
                acks[next++].onCompletion((RecordMetadata) null, failure);
            }
        }

        @Override
        public void onComplete() {
        }
    }
}
