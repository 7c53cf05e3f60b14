package dev.courier.producer.internals.events;

import dev.courier.producer.ProducerEventListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event it is told, in order, as {@code "kind"} plus the event; for tests. */
public final class RecordingListener implements ProducerEventListener {

    /** One event as received: its kind (the method's name without "on") and its payload. */
    public record Event(String kind, Object payload) {
    }

    public final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public void onConnected(Connection connection) {
        events.add(new Event("Connected", connection));
    }

    @Override
    public void onDisconnected(Connection connection) {
        events.add(new Event("Disconnected", connection));
    }

    @Override
    public void onConnectionFailed(Connection connection) {
        events.add(new Event("ConnectionFailed", connection));
    }

    @Override
    public void onAuthenticationFailed(Connection connection, String reason) {
        events.add(new Event("AuthenticationFailed", connection + ": " + reason));
    }

    @Override
    public void onRetry(Retry retry) {
        events.add(new Event("Retry", retry));
    }

    @Override
    public void onEpochBump(EpochBump bump) {
        events.add(new Event("EpochBump", bump));
    }

    @Override
    public void onBatchCompleted(BatchCompleted batch) {
        events.add(new Event("BatchCompleted", batch));
    }

    @Override
    public void onBatchSplit(BatchSplit split) {
        events.add(new Event("BatchSplit", split));
    }

    public List<String> kinds() {
        return events.stream().map(Event::kind).toList();
    }

    /** The payloads of one kind, cast. */
    public <T> List<T> of(Class<T> type) {
        return events.stream().map(Event::payload).filter(type::isInstance).map(type::cast).toList();
    }
}
