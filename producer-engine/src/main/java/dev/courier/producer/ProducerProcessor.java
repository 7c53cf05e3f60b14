package dev.courier.producer;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Back-pressure for streams: sends every record it receives and publishes each record's {@link SendOutcome}
 * downstream, in the order the records were received. Works with Reactor and RxJava through their JDK
 * {@code Flow} adapters. Create one with {@link CourierProducer#processor()}; it takes one upstream and one
 * downstream subscriber.
 *
 * <p>Back-pressure, both ways, without ever blocking a thread:
 * <ul>
 *   <li>Upstream: it requests records only while the producer has room ({@link Producer#capacity()}), never
 *       more than {@code max.buffered.records} allows, and never more than {@code maxOutstanding} records
 *       received and not yet published. A record that finds no room after all is not failed: it waits, with the
 *       records behind it, until {@link Producer#whenCapacity} says room is back, and is then sent again.</li>
 *   <li>Downstream: outcomes wait until requested. They count towards {@code maxOutstanding}, so a slow
 *       downstream slows the upstream down.</li>
 * </ul>
 *
 * <p>Termination: an upstream {@code onComplete} (or {@code onError}) reaches downstream after the outcome of
 * every record received before it was published. A downstream {@code cancel} cancels the upstream; records
 * received and not yet sent are then dropped (never sent), records already sent still complete in the producer.
 * If the producer is closed, the record that found it closed ends with that {@code IllegalStateException} as its
 * outcome, and the stream ends with it after the earlier outcomes.
 *
 * <p>Threads: downstream signals may come from the caller of {@code request}, the upstream's thread, or the
 * producer's callback thread (for outcomes and room coming back); they are never concurrent. A slow downstream
 * {@code onNext} on the callback thread delays the producer's other callbacks: hand off (e.g. Reactor's
 * {@code publishOn}) if it does real work.
 *
 * <p>How it works: every signal changes the state under {@link #lock} and then runs {@link #drain()}, which one
 * thread at a time (the {@link #wip} counter) sends, publishes and requests, with the lock released for every
 * call out.
 */
public final class ProducerProcessor<K, V> implements Flow.Processor<ProducerRecord<K, V>, SendOutcome<K, V>> {

    /** Records received and not yet published, by default. */
    public static final int DEFAULT_MAX_OUTSTANDING = 1024;

    /** One received record, in receipt order, from receipt until its outcome is published. */
    private static final class Slot<K, V> {
        final ProducerRecord<K, V> record;
        // guarded by lock
        boolean done;
        RecordMetadata metadata;
        Exception exception;

        Slot(ProducerRecord<K, V> record) {
            this.record = record;
        }
    }

    private final RecordSink<K, V> sink;
    private final int maxOutstanding;
    /** Requests go upstream in chunks of at least this many, not one by one. */
    private final int requestChunk;
    private final AtomicInteger wip = new AtomicInteger();

    private final Object lock = new Object();
    // lock guards the following
    /** Received and not yet published, in receipt order. */
    private final ArrayDeque<Slot<K, V>> slots = new ArrayDeque<>();
    /** The tail of {@link #slots} not yet taken by the producer, in order. */
    private final ArrayDeque<Slot<K, V>> unsent = new ArrayDeque<>();
    private Flow.Subscription upstream;
    private Flow.Subscriber<? super SendOutcome<K, V>> downstream;
    /** Set once the downstream's onSubscribe returned: nothing is signalled to it before. */
    private boolean downstreamReady;
    private long demand;
    /** Requested from upstream and not yet received. */
    private long upstreamRequested;
    private boolean upstreamDone;
    private Throwable upstreamError;
    /** A non-positive request (rule 3.9), reported downstream as onError. */
    private Throwable protocolError;
    private boolean cancelled;
    private boolean terminated;
    /** A wait for the producer's capacity is open: neither send nor request until it completes. */
    private boolean waitingForRoom;
    // end of lock-guarded state

    ProducerProcessor(RecordSink<K, V> sink, int maxOutstanding) {
        if (maxOutstanding < 1) {
            throw new IllegalArgumentException("maxOutstanding must be >= 1: " + maxOutstanding);
        }
        this.sink = Objects.requireNonNull(sink, "sink");
        this.maxOutstanding = maxOutstanding;
        this.requestChunk = Math.max(1, maxOutstanding / 4);
    }

    // ---- upstream (Flow.Subscriber) ---------------------------------------------------------------------

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        Objects.requireNonNull(subscription, "subscription");
        boolean refuse;
        synchronized (lock) {
            refuse = upstream != null || cancelled;
            if (!refuse) {
                upstream = subscription;
            }
        }
        if (refuse) {
            subscription.cancel(); // rule 2.5: one subscription at a time; or cancelled before it came
            return;
        }
        drain();
    }

    @Override
    public void onNext(ProducerRecord<K, V> record) {
        Objects.requireNonNull(record, "record"); // rule 2.13
        synchronized (lock) {
            if (cancelled || upstreamDone) {
                return;
            }
            upstreamRequested = Math.max(0, upstreamRequested - 1);
            Slot<K, V> slot = new Slot<>(record);
            slots.addLast(slot);
            unsent.addLast(slot);
        }
        drain();
    }

    @Override
    public void onError(Throwable throwable) {
        Objects.requireNonNull(throwable, "throwable");
        synchronized (lock) {
            if (upstreamDone) {
                return;
            }
            upstreamDone = true;
            upstreamError = throwable;
        }
        drain();
    }

    @Override
    public void onComplete() {
        synchronized (lock) {
            upstreamDone = true;
        }
        drain();
    }

    // ---- downstream (Flow.Publisher) --------------------------------------------------------------------

    @Override
    public void subscribe(Flow.Subscriber<? super SendOutcome<K, V>> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber"); // rule 1.9
        boolean refuse;
        synchronized (lock) {
            refuse = downstream != null;
            if (!refuse) {
                downstream = subscriber;
            }
        }
        if (refuse) {
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            subscriber.onError(new IllegalStateException("A ProducerProcessor takes one subscriber"));
            return;
        }
        subscriber.onSubscribe(new Downstream());
        synchronized (lock) {
            downstreamReady = true;
        }
        drain();
    }

    private final class Downstream implements Flow.Subscription {

        @Override
        public void request(long n) {
            synchronized (lock) {
                if (n <= 0) {
                    if (protocolError == null) {
                        protocolError = new IllegalArgumentException("Rule 3.9: request must be positive, was " + n);
                    }
                } else {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                }
            }
            drain();
        }

        @Override
        public void cancel() {
            cancelUpstream();
        }
    }

    private void cancelUpstream() {
        Flow.Subscription toCancel;
        synchronized (lock) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toCancel = upstream;
            unsent.clear();
            slots.clear();
        }
        if (toCancel != null) {
            toCancel.cancel();
        }
    }

    // ---- the drain loop ---------------------------------------------------------------------------------

    /** Sends, publishes and requests what the state allows; one thread at a time, the others leave it work. */
    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            sendWhatFits();
            publishWhatIsDone();
            requestMore();
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void sendWhatFits() {
        while (true) {
            Slot<K, V> slot;
            synchronized (lock) {
                if (cancelled || waitingForRoom || unsent.isEmpty()) {
                    return;
                }
                slot = unsent.peekFirst();
            }
            long needed;
            try {
                needed = sink.offer(slot.record, (metadata, exception) -> onResult(slot, metadata, exception));
            } catch (RuntimeException e) {
                needed = 0;
                onResult(slot, null, e);
                if (e instanceof IllegalStateException) {
                    endUpstream(e); // the producer is closed: nothing more will go
                }
            }
            synchronized (lock) {
                if (needed == 0) {
                    unsent.pollFirst();
                    continue;
                }
            }
            awaitRoom(needed);
            return;
        }
    }

    private void onResult(Slot<K, V> slot, RecordMetadata metadata, Exception exception) {
        synchronized (lock) {
            slot.metadata = metadata;
            slot.exception = exception;
            slot.done = true;
        }
        drain();
    }

    private void endUpstream(Throwable cause) {
        Flow.Subscription toCancel;
        synchronized (lock) {
            if (upstreamDone) {
                return;
            }
            upstreamDone = true;
            upstreamError = cause;
            toCancel = upstream;
        }
        if (toCancel != null) {
            toCancel.cancel();
        }
    }

    /** Stops sending and requesting until the producer has {@code bytes} and a record's room. */
    private void awaitRoom(long bytes) {
        synchronized (lock) {
            if (waitingForRoom) {
                return;
            }
            waitingForRoom = true;
        }
        CompletionStage<Void> room;
        try {
            room = sink.whenCapacity(bytes);
        } catch (RuntimeException e) {
            abandonUnsent(e); // the producer closed: there will be no room, and retrying would spin
            return;
        }
        room.whenComplete((ignored, error) -> onRoom());
    }

    /** Ends every record not yet sent with {@code cause} as its outcome, and the stream after them. */
    private void abandonUnsent(RuntimeException cause) {
        synchronized (lock) {
            for (Slot<K, V> slot : unsent) {
                slot.exception = cause;
                slot.done = true;
            }
            unsent.clear();
            waitingForRoom = false;
        }
        endUpstream(cause);
        drain();
    }

    private void onRoom() {
        synchronized (lock) {
            waitingForRoom = false;
        }
        drain();
    }

    private void publishWhatIsDone() {
        while (true) {
            Flow.Subscriber<? super SendOutcome<K, V>> subscriber;
            Slot<K, V> slot = null;
            Throwable error = null;
            boolean complete = false;
            synchronized (lock) {
                subscriber = downstream;
                if (!downstreamReady || terminated) {
                    return;
                }
                if (protocolError != null) {
                    error = protocolError;
                    terminated = true;
                } else if (cancelled) {
                    return;
                } else if (!slots.isEmpty()) {
                    Slot<K, V> head = slots.peekFirst();
                    if (!head.done || demand == 0) {
                        return;
                    }
                    slot = slots.pollFirst();
                    if (demand != Long.MAX_VALUE) {
                        demand--;
                    }
                } else if (upstreamDone) {
                    terminated = true;
                    error = upstreamError;
                    complete = error == null;
                } else {
                    return;
                }
            }
            if (slot != null) {
                subscriber.onNext(new SendOutcome<>(slot.record, slot.metadata, slot.exception));
            } else if (complete) {
                subscriber.onComplete();
                return;
            } else {
                if (protocolError(error)) {
                    cancelUpstream();
                }
                subscriber.onError(error);
                return;
            }
        }
    }

    private boolean protocolError(Throwable error) {
        synchronized (lock) {
            return error == protocolError;
        }
    }

    private void requestMore() {
        long room;
        synchronized (lock) {
            if (cancelled || upstreamDone || upstream == null || !downstreamReady || waitingForRoom
                    || !unsent.isEmpty()) {
                return;
            }
            room = maxOutstanding - slots.size() - upstreamRequested;
            if (room < requestChunk) {
                return;
            }
        }
        // Read outside the lock: the capacity takes the pool's lock, and no lock of ours is held around a call out.
        ProducerCapacity capacity = sink.capacity();
        if (!capacity.hasRoomFor(1)) {
            awaitRoom(1);
            return;
        }
        long n = capacity.records() >= 0 ? Math.min(room, capacity.records()) : room;
        Flow.Subscription subscription;
        synchronized (lock) {
            if (cancelled || upstreamDone) {
                return;
            }
            upstreamRequested += n;
            subscription = upstream;
        }
        subscription.request(n);
    }
}
