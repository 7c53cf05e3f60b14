package dev.courier.producer;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.awaitility.Awaitility.await;

/**
 * Streams keyed records numbered 0, 1, 2, ... to one topic from its own thread and keeps a ledger of what became
 * of each: acknowledged (where), failed (why) or still pending. The value of record {@code id} is its decimal
 * number and its key {@code key-<id % 1024>}, so every partition sees many keys and the ids a partition receives
 * are increasing in send order.
 *
 * <p>The stream sends at most {@code ratePerSecond} (so a failover script has time to run while it sends) until
 * {@link #finish()} was called and at least {@code minRecords} were sent. It also measures how long each
 * {@code send()} call blocked the caller.
 *
 * <p>Threads: the stream thread writes {@code sent} and the send-time maximum; the producer's callback thread
 * writes the ledger arrays and then bumps {@code completed}, so a reader that saw {@code completed == sent} sees
 * every entry.
 */
final class RecordStream {

    private static final Logger log = LoggerFactory.getLogger(RecordStream.class);
    private static final int KEYS = 1024;

    static final byte PENDING = 0;
    static final byte ACKED = 1;
    static final byte FAILED = 2;

    private final Producer<String, String> producer;
    private final String topic;
    private final int ratePerSecond;
    private final int minRecords;
    private final int capacity;

    private final byte[] state;
    private final int[] partition;
    private final long[] offset;
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Map<String, AtomicLong> failureKinds = new ConcurrentHashMap<>();
    private final Map<String, String> failureSamples = new ConcurrentHashMap<>();

    private final Thread thread;
    private volatile boolean finishRequested;
    private volatile int sent;
    private volatile long longestSendNanos;
    private volatile Throwable crash;

    RecordStream(Producer<String, String> producer, String topic, int ratePerSecond, int minRecords, int capacity) {
        this.producer = producer;
        this.topic = topic;
        this.ratePerSecond = ratePerSecond;
        this.minRecords = minRecords;
        this.capacity = capacity;
        this.state = new byte[capacity];
        this.partition = new int[capacity];
        this.offset = new long[capacity];
        this.thread = new Thread(this::run, "record-stream-" + topic);
        this.thread.setDaemon(true);
    }

    RecordStream start() {
        thread.start();
        return this;
    }

    /** Lets the stream end once it has sent {@code minRecords}. */
    void finish() {
        finishRequested = true;
    }

    /** Waits until the stream thread has sent its last record and every future has completed. */
    void awaitCompletion(Duration timeout) {
        await("record stream on " + topic + " to finish sending and every future to complete")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> crash != null || (!thread.isAlive() && completed.get() == sent));
        if (crash != null) {
            throw new AssertionError("The record stream crashed", crash);
        }
    }

    private void run() {
        long startNs = System.nanoTime();
        try {
            int id = 0;
            while (id < capacity && (!finishRequested || id < minRecords)) {
                send(id);
                id++;
                sent = id;
                if (id % 100 == 0) {
                    long dueNs = startNs + TimeUnit.SECONDS.toNanos(id) / ratePerSecond;
                    long aheadNs = dueNs - System.nanoTime();
                    if (aheadNs > 0) {
                        LockSupport.parkNanos(aheadNs); // pacing, not waiting for a condition
                    }
                }
            }
            if (id == capacity) {
                log.warn("Record stream on {} stopped at its capacity of {} records", topic, capacity);
            }
        } catch (Throwable t) {
            crash = t;
        }
    }

    private void send(int id) {
        String value = Integer.toString(id);
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, "key-" + (id % KEYS), value);
        long beforeNs = System.nanoTime();
        try {
            producer.send(record, (metadata, exception) -> complete(id, metadata, exception));
        } catch (RuntimeException e) {
            // send() itself refused the record: reported to the caller, like a failed future
            complete(id, null, e);
        } finally {
            long tookNs = System.nanoTime() - beforeNs;
            if (tookNs > longestSendNanos) {
                longestSendNanos = tookNs;
            }
        }
    }

    private void complete(int id, RecordMetadata metadata, Exception exception) {
        if (exception == null) {
            partition[id] = metadata.partition();
            offset[id] = metadata.offset();
            state[id] = ACKED;
            acked.incrementAndGet();
        } else {
            state[id] = FAILED;
            failed.incrementAndGet();
            String kind = exception.getClass().getSimpleName();
            failureKinds.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
            failureSamples.putIfAbsent(kind, String.valueOf(exception.getMessage()));
        }
        completed.incrementAndGet();
    }

    String topic() {
        return topic;
    }

    int sent() {
        return sent;
    }

    long acked() {
        return acked.get();
    }

    long failed() {
        return failed.get();
    }

    long completed() {
        return completed.get();
    }

    /** The longest a single {@code send()} call blocked, in milliseconds. */
    long longestStallMs() {
        return TimeUnit.NANOSECONDS.toMillis(longestSendNanos);
    }

    byte state(int id) {
        return state[id];
    }

    int partition(int id) {
        return partition[id];
    }

    long offset(int id) {
        return offset[id];
    }

    /** Failure counts by exception class, with one message of each. */
    String failures() {
        Map<String, String> out = new TreeMap<>();
        failureKinds.forEach((kind, count) -> out.put(kind, count.get() + " (e.g. " + failureSamples.get(kind) + ")"));
        return out.toString();
    }
}
