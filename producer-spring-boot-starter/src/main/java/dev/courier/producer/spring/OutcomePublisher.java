package dev.courier.producer.spring;

import dev.courier.producer.CourierProducer;
import dev.courier.producer.ProducerProcessor;
import dev.courier.producer.ProducerRecord;
import dev.courier.producer.SendOutcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.function.BooleanSupplier;

/**
 * What {@link ProducerTemplate#sendAll} returns: a cold publisher that, per subscriber, puts a new
 * {@link ProducerProcessor} of the producer between the records and the subscriber, and applies the template's
 * observers and listener around it. The processor does all the back-pressure; the two stages here only watch.
 *
 * <pre>
 *   records --&gt; Observing (observers start, headers) --&gt; ProducerProcessor --&gt; Reporting (observers end,
 *                                                                            listener) --&gt; subscriber
 * </pre>
 *
 * Without observers (and outside a transaction) the records go straight to the processor, and without a
 * listener either the subscriber subscribes straight to it: no per-record work beyond the processor's own.
 */
final class OutcomePublisher<K, V> implements Flow.Publisher<SendOutcome<K, V>> {

    private final ProducerTemplate<K, V> template;
    private final CourierProducer<K, V> producer;
    private final Flow.Publisher<ProducerRecord<K, V>> records;
    /** Null outside a transaction; else whether the transaction {@code producer} belongs to is still open. */
    private final BooleanSupplier transactionOpen;

    OutcomePublisher(ProducerTemplate<K, V> template, CourierProducer<K, V> producer,
                     Flow.Publisher<ProducerRecord<K, V>> records, BooleanSupplier transactionOpen) {
        this.template = template;
        this.producer = producer;
        this.records = records;
        this.transactionOpen = transactionOpen;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super SendOutcome<K, V>> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber"); // rule 1.9
        ProducerProcessor<K, V> processor = producer.processor();
        Observations<K, V> observations = template.observers().isEmpty() ? null : new Observations<>();
        if (observations == null && !template.listening()) {
            processor.subscribe(subscriber);
        } else {
            processor.subscribe(new Reporting<>(template, subscriber, observations));
        }
        if (observations == null && transactionOpen == null) {
            records.subscribe(processor);
        } else {
            records.subscribe(new Observing<>(template, processor, observations, transactionOpen));
        }
    }

    /**
     * The observer completions of the records received and whose outcome is not yet published, in receipt
     * order (the order outcomes are published in). Filled by the upstream's thread, emptied by the outcomes'.
     */
    private static final class Observations<K, V> {

        /** {@code observation} is null when no observer started (see {@link SendObservers#start}). */
        private record Entry<K, V>(ProducerRecord<K, V> record, SendObserver.Completion observation) {
        }

        private final Object lock = new Object();
        // lock guards the following
        private final ArrayDeque<Entry<K, V>> pending = new ArrayDeque<>();
        /** Set once the stream ended early: records arriving later are ended at once. */
        private Exception abandoned;
        // end of lock-guarded state

        /** Starts observing {@code record}; returns the record to send (a copy with the observers' headers). */
        ProducerRecord<K, V> start(ProducerTemplate<K, V> template, ProducerRecord<K, V> record) {
            SendObservers observers = template.observers();
            OutgoingHeaders headers = observers.newHeaders();
            SendObserver.Completion observation = observers.start(record, headers);
            ProducerRecord<K, V> sent = headers == null ? record : headers.applyTo(record);
            Exception endedWith;
            synchronized (lock) {
                endedWith = abandoned;
                if (endedWith == null) {
                    pending.addLast(new Entry<>(sent, observation));
                }
            }
            if (endedWith != null) {
                SendObservers.end(observation, null, endedWith);
            }
            return sent;
        }

        /** Ends the observation of the outcome's record; the processor publishes the very record it received. */
        void end(SendOutcome<K, V> outcome) {
            Entry<K, V> entry;
            synchronized (lock) {
                entry = pending.peekFirst();
                if (entry == null || entry.record() != outcome.record()) {
                    return; // already ended by a cancel racing with this outcome
                }
                pending.pollFirst();
            }
            SendObservers.end(entry.observation(), outcome.metadata(), outcome.exception());
        }

        /** Ends every observation still open, and those of records still to arrive, with {@code cause}. */
        void abandon(Exception cause) {
            List<Entry<K, V>> left;
            synchronized (lock) {
                if (abandoned == null) {
                    abandoned = cause;
                }
                left = new ArrayList<>(pending);
                pending.clear();
            }
            for (Entry<K, V> entry : left) {
                SendObservers.end(entry.observation(), null, cause);
            }
        }
    }

    /**
     * Between the records and the processor: in a transaction, ends the stream once the transaction has ended
     * (its pooled producer may be in another thread's transaction by then); with observers, starts each record's
     * observation and adds the observers' headers. Signals are serial (rule 1.3), so {@link #stopped} needs no lock.
     */
    private static final class Observing<K, V> implements Flow.Subscriber<ProducerRecord<K, V>> {

        private final ProducerTemplate<K, V> template;
        private final ProducerProcessor<K, V> processor;
        /** Null without observers. */
        private final Observations<K, V> observations;
        /** Null outside a transaction. */
        private final BooleanSupplier transactionOpen;
        private Flow.Subscription upstream;
        private boolean stopped;

        Observing(ProducerTemplate<K, V> template, ProducerProcessor<K, V> processor,
                  Observations<K, V> observations, BooleanSupplier transactionOpen) {
            this.template = template;
            this.processor = processor;
            this.observations = observations;
            this.transactionOpen = transactionOpen;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            upstream = subscription;
            processor.onSubscribe(subscription);
        }

        @Override
        public void onNext(ProducerRecord<K, V> record) {
            Objects.requireNonNull(record, "record"); // rule 2.13, before an observer sees it
            if (stopped) {
                return;
            }
            if (transactionOpen != null && !transactionOpen.getAsBoolean()) {
                stopped = true;
                upstream.cancel();
                processor.onError(new IllegalStateException("The transaction of this sendAll ended before the "
                        + "stream of records did; the record for topic " + record.topic() + " and those after it "
                        + "were not sent: consume the publisher to its end inside the transaction"));
                return;
            }
            processor.onNext(observations != null ? observations.start(template, record) : record);
        }

        @Override
        public void onError(Throwable throwable) {
            if (!stopped) {
                processor.onError(throwable);
            }
        }

        @Override
        public void onComplete() {
            if (!stopped) {
                processor.onComplete();
            }
        }
    }

    /** Between the processor and the subscriber: ends each observation and tells the listener, then passes on. */
    private static final class Reporting<K, V> implements Flow.Subscriber<SendOutcome<K, V>> {

        private final ProducerTemplate<K, V> template;
        private final Flow.Subscriber<? super SendOutcome<K, V>> subscriber;
        /** Null without observers. */
        private final Observations<K, V> observations;

        Reporting(ProducerTemplate<K, V> template, Flow.Subscriber<? super SendOutcome<K, V>> subscriber,
                  Observations<K, V> observations) {
            this.template = template;
            this.subscriber = subscriber;
            this.observations = observations;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            if (observations == null) {
                subscriber.onSubscribe(subscription);
                return;
            }
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    subscription.request(n);
                }

                @Override
                public void cancel() {
                    subscription.cancel(); // first, so that the processor publishes no more
                    observations.abandon(new CancellationException(
                            "The subscriber cancelled before this record's outcome was published"));
                }
            });
        }

        @Override
        public void onNext(SendOutcome<K, V> outcome) {
            if (observations != null) {
                observations.end(outcome);
            }
            if (outcome.isSuccess()) {
                template.notifySuccess(outcome.record(), outcome.metadata());
            } else {
                template.notifyError(outcome.record(), outcome.metadata(), outcome.exception());
            }
            subscriber.onNext(outcome);
        }

        @Override
        public void onError(Throwable throwable) {
            if (observations != null) {
                // Records the processor dropped when the stream ended (the producer closed) were never sent.
                observations.abandon(throwable instanceof Exception e ? e : new CompletionException(throwable));
            }
            subscriber.onError(throwable);
        }

        @Override
        public void onComplete() {
            if (observations != null) {
                observations.abandon(new CancellationException("The stream completed before this record was sent"));
            }
            subscriber.onComplete();
        }
    }
}
