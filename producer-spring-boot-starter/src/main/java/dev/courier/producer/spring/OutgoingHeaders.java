package dev.courier.producer.spring;

import dev.courier.producer.Header;
import dev.courier.producer.ProducerRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Headers that {@link SendObserver}s add to one record before it goes to the producer, such as the trace
 * context ({@code traceparent}). Records are immutable, so the template sends a copy carrying these, in place
 * of the caller's record, only when an observer set one. Used on the sending thread only; not thread-safe.
 */
public final class OutgoingHeaders {

    /** Null until the first header: most sends (no tracer) add none. */
    private List<Header> added;

    OutgoingHeaders() {
    }

    /** Adds a header, replacing one of the same key set earlier here or carried by the caller's record. */
    public void set(String key, byte[] value) {
        if (added == null) {
            added = new ArrayList<>(2);
        }
        added.removeIf(header -> header.key().equals(key));
        added.add(new Header(key, value));
    }

    /** {@code record} itself when nothing was set, else a copy with these headers after its own. */
    <K, V> ProducerRecord<K, V> applyTo(ProducerRecord<K, V> record) {
        if (added == null) {
            return record;
        }
        List<Header> headers = new ArrayList<>(record.headers().size() + added.size());
        for (Header header : record.headers()) {
            if (added.stream().noneMatch(mine -> mine.key().equals(header.key()))) {
                headers.add(header);
            }
        }
        headers.addAll(added);
        return new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(), record.key(),
                record.value(), headers);
    }
}
