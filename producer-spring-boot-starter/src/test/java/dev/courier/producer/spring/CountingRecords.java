package dev.courier.producer.spring;

import dev.courier.producer.ProducerRecord;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Records "r0", "r1", ... for one topic, emitted synchronously as they are requested, counting what was requested
 * and emitted, and showing each request to a check first. Endless unless given a count.
 */
final class CountingRecords implements Flow.Publisher<ProducerRecord<String, String>> {

    final AtomicLong requested = new AtomicLong();
    final AtomicLong emitted = new AtomicLong();
    final AtomicBoolean cancelled = new AtomicBoolean();

    private final String topic;
    private final long count;
    private final LongConsumer onRequest;

    CountingRecords(String topic, long count, LongConsumer onRequest) {
        this.topic = topic;
        this.count = count;
        this.onRequest = onRequest;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ProducerRecord<String, String>> subscriber) {
        subscriber.onSubscribe(new Flow.Subscription() {
            private final AtomicLong demand = new AtomicLong();
            private final AtomicInteger wip = new AtomicInteger();
            private long next;
            private boolean done;

            @Override
            public void request(long n) {
                onRequest.accept(n);
                requested.addAndGet(n);
                demand.addAndGet(n);
                drain();
            }

            @Override
            public void cancel() {
                cancelled.set(true);
            }

            /** One thread emits at a time; a request made from inside onNext is served by the loop. */
            private void drain() {
                if (wip.getAndIncrement() != 0) {
                    return;
                }
                do {
                    while (demand.get() > 0 && !cancelled.get() && next < count) {
                        demand.decrementAndGet();
                        subscriber.onNext(new ProducerRecord<>(topic, "r" + next++));
                        emitted.incrementAndGet();
                    }
                    if (next == count && !done && !cancelled.get()) {
                        done = true;
                        subscriber.onComplete();
                    }
                } while (wip.decrementAndGet() != 0);
            }
        });
    }
}
