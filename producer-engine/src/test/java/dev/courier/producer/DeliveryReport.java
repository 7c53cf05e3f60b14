package dev.courier.producer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compares what a {@link RecordStream}'s futures said with what the official consumer read back from the topic.
 *
 * <ul>
 *   <li><b>lost</b>: acknowledged, never read;</li>
 *   <li><b>misplaced</b>: acknowledged at a partition and offset that holds some other record (or none);</li>
 *   <li><b>duplicated</b>: extra copies read of a record (each id read n times adds n - 1);</li>
 *   <li><b>reordered</b>: the first copy of a record read after the first copy of a later-sent record of the same
 *       partition (the stream sends ids in increasing order);</li>
 *   <li><b>failed but written</b>: the future failed, the record is there anyway (allowed: the caller was told
 *       it failed, not that it is absent; Kafka's producer behaves the same after a delivery timeout);</li>
 *   <li><b>pending</b>: neither acknowledged nor failed after close: a hang;</li>
 *   <li><b>unknown</b>: read but never sent.</li>
 * </ul>
 */
final class DeliveryReport {

    private static final Logger log = LoggerFactory.getLogger(DeliveryReport.class);
    private static final int EXAMPLES = 10;

    final String label;
    final int sent;
    final long acked;
    final long failed;
    final long pending;
    final long read;
    final long lost;
    final long misplaced;
    final long duplicated;
    final long duplicatedRecords;
    final long reordered;
    final long failedButWritten;
    final long unknown;
    final long longestStallMs;
    final String failures;
    final List<String> examples;

    private DeliveryReport(String label, RecordStream stream, long read, long lost, long misplaced, long duplicated,
                           long duplicatedRecords, long reordered, long failedButWritten, long unknown,
                           long pending, List<String> examples) {
        this.label = label;
        this.sent = stream.sent();
        this.acked = stream.acked();
        this.failed = stream.failed();
        this.pending = pending;
        this.read = read;
        this.lost = lost;
        this.misplaced = misplaced;
        this.duplicated = duplicated;
        this.duplicatedRecords = duplicatedRecords;
        this.reordered = reordered;
        this.failedButWritten = failedButWritten;
        this.unknown = unknown;
        this.longestStallMs = stream.longestStallMs();
        this.failures = stream.failures();
        this.examples = examples;
    }

    /** Builds the report from the stream's ledger and every record of its topic (from {@code consumeAll}). */
    static DeliveryReport of(String label, RecordStream stream, List<ConsumerRecord<byte[], byte[]>> consumed) {
        int sent = stream.sent();
        int[] copies = new int[sent];
        List<String> examples = new ArrayList<>();
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record : consumed) {
            byPartition.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record);
        }
        Map<Integer, Map<Long, Integer>> idAt = new HashMap<>();
        long unknown = 0;
        long reordered = 0;
        for (Map.Entry<Integer, List<ConsumerRecord<byte[], byte[]>>> entry : byPartition.entrySet()) {
            List<ConsumerRecord<byte[], byte[]>> records = entry.getValue();
            records.sort(Comparator.comparingLong(ConsumerRecord::offset));
            Map<Long, Integer> offsets = idAt.computeIfAbsent(entry.getKey(), p -> new HashMap<>(records.size() * 2));
            int highestFirstSeen = -1;
            for (ConsumerRecord<byte[], byte[]> record : records) {
                int id = parseId(record.value());
                if (id < 0 || id >= sent) {
                    unknown++;
                    example(examples, "unknown value at " + where(record));
                    continue;
                }
                offsets.put(record.offset(), id);
                if (copies[id]++ == 0) {
                    if (id < highestFirstSeen) {
                        reordered++;
                        example(examples, "record " + id + " at " + where(record) + " after record " + highestFirstSeen);
                    }
                    highestFirstSeen = Math.max(highestFirstSeen, id);
                }
            }
        }
        long lost = 0;
        long misplaced = 0;
        long duplicated = 0;
        long duplicatedRecords = 0;
        long failedButWritten = 0;
        long pending = 0;
        for (int id = 0; id < sent; id++) {
            if (copies[id] > 1) {
                duplicated += copies[id] - 1;
                duplicatedRecords++;
            }
            switch (stream.state(id)) {
                case RecordStream.ACKED -> {
                    if (copies[id] == 0) {
                        lost++;
                        example(examples, "record " + id + " acknowledged at " + stream.partition(id) + "@"
                                + stream.offset(id) + " was never read");
                    } else {
                        Integer there = idAt.getOrDefault(stream.partition(id), Map.of()).get(stream.offset(id));
                        if (there == null || there != id) {
                            misplaced++;
                            example(examples, "record " + id + " acknowledged at " + stream.partition(id) + "@"
                                    + stream.offset(id) + " but that offset holds " + there);
                        }
                    }
                }
                case RecordStream.FAILED -> {
                    if (copies[id] > 0) {
                        failedButWritten++;
                    }
                }
                default -> {
                    pending++;
                    example(examples, "record " + id + " never completed");
                }
            }
        }
        return new DeliveryReport(label, stream, consumed.size(), lost, misplaced, duplicated, duplicatedRecords,
                reordered, failedButWritten, unknown, pending, examples);
    }

    private static int parseId(byte[] value) {
        if (value == null) {
            return -1;
        }
        try {
            return Integer.parseInt(new String(value, StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String where(ConsumerRecord<byte[], byte[]> record) {
        return record.partition() + "@" + record.offset();
    }

    private static void example(List<String> examples, String text) {
        if (examples.size() < EXAMPLES) {
            examples.add(text);
        }
    }

    /** Logs the numbers at INFO; the closing note of the delivery issue quotes these lines. */
    DeliveryReport log() {
        log.info("{}", this);
        return this;
    }

    /** Every acknowledged record exactly where its future said, each sent record at most once... */
    void assertExactlyOnceInOrder() {
        assertNothingLostInOrder();
        assertThat(duplicated).as("duplicated records; %s", this).isZero();
    }

    /** ...or, without idempotence, duplicates allowed (and counted) but nothing lost or reordered. */
    void assertNothingLostInOrder() {
        assertThat(pending).as("futures that never completed; %s", this).isZero();
        assertThat(unknown).as("records read that were never sent; %s", this).isZero();
        assertThat(lost).as("acknowledged records missing; %s", this).isZero();
        assertThat(misplaced).as("acknowledged records not at their reported offset; %s", this).isZero();
        assertThat(reordered).as("records out of send order within a partition; %s", this).isZero();
    }

    @Override
    public String toString() {
        return label + ": sent " + sent + ", acknowledged " + acked + ", failed " + failed
                + " (of which written anyway " + failedButWritten + ")" + ", duplicated " + duplicated
                + " (extra copies of " + duplicatedRecords + " records), lost " + lost + ", misplaced " + misplaced
                + ", reordered " + reordered + ", never completed " + pending + ", unknown " + unknown
                + ", read back " + read + ", longest stall in send() " + longestStallMs + " ms"
                + (failed > 0 ? ", failures " + failures : "")
                + (examples.isEmpty() ? "" : ", examples " + examples);
    }
}
