package dev.courier.producer.spring;

import dev.courier.producer.ProducerRecord;
import dev.courier.producer.RecordMetadata;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A template's {@link SendObserver}s, started and ended together for each send. A failing observer is logged
 * and left out of that send; it never fails the send.
 *
 * <p>Runs on every observed send, so it adds as little as it can: with one observer (the usual case, the send
 * timer) the send's completion is that observer's own, with nothing wrapped around it; and an
 * {@link OutgoingHeaders} is only made when an observer can write headers (see {@link #newHeaders()}).
 */
final class SendObservers {

    private static final Logger log = LoggerFactory.getLogger(SendObservers.class);

    private final SendObserver[] observers;
    private final boolean writeHeaders;

    SendObservers(List<SendObserver> observers) {
        this.observers = List.copyOf(observers).toArray(SendObserver[]::new);
        boolean any = false;
        for (SendObserver observer : this.observers) {
            any |= writesHeaders(observer);
        }
        this.writeHeaders = any;
    }

    /**
     * Only an observer that overrides {@link SendObserver#onSend(ProducerRecord, OutgoingHeaders)} can write
     * headers: the default ignores them. Proxies override everything, so they count as writers (safe, only slower).
     */
    private static boolean writesHeaders(SendObserver observer) {
        try {
            return observer.getClass().getMethod("onSend", ProducerRecord.class, OutgoingHeaders.class)
                    .getDeclaringClass() != SendObserver.class;
        } catch (NoSuchMethodException e) {
            return true; // cannot happen: the interface declares it
        }
    }

    boolean isEmpty() {
        return observers.length == 0;
    }

    /** Headers for one send's observers to write, or null when none of them can write any. */
    OutgoingHeaders newHeaders() {
        return writeHeaders ? new OutgoingHeaders() : null;
    }

    /**
     * Starts observing one send, just before {@code record} goes to the producer.
     *
     * @param headers from {@link #newHeaders()}: null when no observer writes headers
     * @return what ends the observation, for {@link #end}; null when there is nothing to end
     */
    SendObserver.Completion start(ProducerRecord<?, ?> record, OutgoingHeaders headers) {
        if (observers.length == 0) {
            return null;
        }
        if (observers.length == 1) {
            return start(observers[0], record, headers);
        }
        SendObserver.Completion[] completions = new SendObserver.Completion[observers.length];
        for (int i = 0; i < completions.length; i++) {
            completions[i] = start(observers[i], record, headers);
        }
        return new AllOf(completions);
    }

    private static SendObserver.Completion start(SendObserver observer, ProducerRecord<?, ?> record,
                                                 OutgoingHeaders headers) {
        try {
            return headers == null ? observer.onSend(record) : observer.onSend(record, headers);
        } catch (RuntimeException e) {
            log.warn("SendObserver {} failed in onSend; ignoring it for this record", observer.getClass().getName(), e);
            return null;
        }
    }

    /** Ends an observation started by {@link #start} (nothing when {@code completion} is null); never throws. */
    static void end(SendObserver.Completion completion, RecordMetadata metadata, Exception exception) {
        if (completion == null) {
            return;
        }
        try {
            completion.onComplete(metadata, exception);
        } catch (RuntimeException e) {
            log.warn("SendObserver completion {} failed", completion.getClass().getName(), e);
        }
    }

    /** The completions of several observers, ended in order, each whatever the others do. */
    private record AllOf(SendObserver.Completion[] completions) implements SendObserver.Completion {

        @Override
        public void onComplete(RecordMetadata metadata, Exception exception) {
            for (SendObserver.Completion completion : completions) {
                end(completion, metadata, exception);
            }
        }
    }
}
