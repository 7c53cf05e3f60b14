package dev.courier.benchmarks.perf;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One matrix cell: the producer settings both clients get, and how much to send. {@code ratePerSecond}
 * 0 means "as fast as possible" (a throughput cell); otherwise records are sent on a fixed schedule and
 * latency is measured from each record's intended send time, so a stall is not hidden (no coordinated
 * omission).
 */
public record Cell(String name, int recordSize, String acks, int lingerMs, int batchSize, String compression,
                   boolean idempotence, int ratePerSecond, int records) {

    /** Name of the cells run over TLS ({@code --tls}); the connection settings come from the broker. */
    public static final String TLS = "tls";

    /** The settings both clients get, besides bootstrap.servers and client.id. */
    public Map<String, Object> producerSettings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("acks", acks);
        settings.put("linger.ms", String.valueOf(lingerMs));
        settings.put("batch.size", String.valueOf(batchSize));
        settings.put("compression.type", compression);
        // kafka-clients enables idempotence by default and drops it silently when acks != all: always explicit.
        settings.put("enable.idempotence", String.valueOf(idempotence));
        return settings;
    }

    public boolean fixedRate() {
        return ratePerSecond > 0;
    }

    /** The same cell for an unrecorded warm-up round: a fixed-rate run is cut to one second of records. */
    public Cell forWarmUp() {
        return fixedRate() ? new Cell(name, recordSize, acks, lingerMs, batchSize, compression, idempotence,
                ratePerSecond, Math.min(records, ratePerSecond)) : this;
    }

    /** A short label for tables and charts, e.g. "100B acks=1 l0/16K none". */
    public String label() {
        String size = recordSize >= 1024 && recordSize % 1024 == 0 ? (recordSize / 1024) + "KiB" : recordSize + "B";
        String base = size + " acks=" + acks + " linger=" + lingerMs + " batch=" + (batchSize / 1024) + "K " + compression
                + (idempotence ? " idem" : "");
        String labelled = name.equals(TLS) ? "TLS " + base : base;
        return fixedRate() ? labelled + " @" + ratePerSecond + "/s" : labelled;
    }
}
