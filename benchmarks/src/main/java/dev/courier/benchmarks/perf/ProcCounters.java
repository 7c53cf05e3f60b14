package dev.courier.benchmarks.perf;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Per-thread kernel counters of one round from Linux's {@code /proc/self/task/<tid>/}: read and write
 * syscalls and their bytes ({@code io}), voluntary and involuntary context switches ({@code status}) and
 * time spent waiting for a CPU ({@code schedstat}). Counts, unlike CPU time and throughput, are barely
 * moved by a busy machine, so they compare two clients on a shared one. For {@code -Dbench.counts=true}.
 *
 * <p>Threads are found by their kernel name, which the JVM cuts to 15 characters: the caller
 * ({@code /proc/thread-self}), the producer's threads (Courier's network and callback threads are both
 * "courier-produce"; the one with I/O is the network thread) and, against the stand-in, its connection threads.
 * Read and write counts include the selector's wake-up pipe.
 */
final class ProcCounters {

    private static final Path TASKS = Path.of("/proc/self/task");
    private static final String[] PRODUCER_PREFIXES = {"courier-produce", "kafka-producer-"};
    private static final String BROKER_PREFIX = "stand-in-broke";
    private static final int FIELDS = 8;
    private static final String[] NAMES = {"reads", "writes", "read bytes", "written bytes", "voluntary cs",
        "involuntary cs", "run-queue wait ns", "timeslices"};

    private final List<Task> tasks;

    private record Task(String role, String tid, long[] start) {
    }

    private ProcCounters(List<Task> tasks) {
        this.tasks = tasks;
    }

    /** Finds the round's threads and reads their counters; null when /proc is not there (not Linux). */
    static ProcCounters start() {
        if (!Files.isDirectory(TASKS)) {
            return null;
        }
        List<Task> tasks = new ArrayList<>();
        String callerTid = callerTid();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(TASKS)) {
            for (Path task : dir) {
                String tid = task.getFileName().toString();
                String comm = read(task.resolve("comm")).strip();
                String role = tid.equals(callerTid) ? "caller" : role(comm);
                if (role != null) {
                    long[] now = sample(tid);
                    if (now != null) {
                        tasks.add(new Task(role, tid, now));
                    }
                }
            }
        } catch (IOException e) {
            return null;
        }
        return new ProcCounters(tasks);
    }

    private static String role(String comm) {
        for (String prefix : PRODUCER_PREFIXES) {
            if (comm.startsWith(prefix)) {
                return "producer";
            }
        }
        return comm.startsWith(BROKER_PREFIX) ? "stand-in" : null;
    }

    private static String callerTid() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    /** Per thread, per record: one line each, threads with nothing to show left out. */
    String perRecord(int records) {
        StringBuilder s = new StringBuilder();
        for (Task task : tasks) {
            long[] end = sample(task.tid());
            if (end == null) {
                continue; // the thread ended (a stand-in connection of an earlier round)
            }
            long[] d = new long[FIELDS];
            boolean any = false;
            for (int i = 0; i < FIELDS; i++) {
                d[i] = end[i] - task.start()[i];
                any |= i != 6 && d[i] != 0;
            }
            if (!any) {
                continue;
            }
            double k = 1000.0 / records;
            s.append(String.format(Locale.ROOT,
                    "    %-8s %7s per 1000 records: %s %.1f, %s %.1f (%.0f B each), %s %.1f, %s %.1f,"
                            + " %s %.1f, run-queue wait %.1f µs%n",
                    task.role(), task.tid(), NAMES[0], d[0] * k, NAMES[1], d[1] * k,
                    d[1] == 0 ? 0.0 : (double) d[3] / d[1], NAMES[4], d[4] * k, NAMES[5], d[5] * k, NAMES[7],
                    d[7] * k, d[6] * k / 1000));
        }
        return s.toString();
    }

    /** {syscr, syscw, rchar, wchar, voluntary, involuntary, run-queue wait ns, timeslices}, or null if gone. */
    private static long[] sample(String tid) {
        Path task = TASKS.resolve(tid);
        try {
            long[] v = new long[FIELDS];
            for (String line : read(task.resolve("io")).split("\n")) {
                if (line.startsWith("syscr:")) {
                    v[0] = value(line);
                } else if (line.startsWith("syscw:")) {
                    v[1] = value(line);
                } else if (line.startsWith("rchar:")) {
                    v[2] = value(line);
                } else if (line.startsWith("wchar:")) {
                    v[3] = value(line);
                }
            }
            for (String line : read(task.resolve("status")).split("\n")) {
                if (line.startsWith("voluntary_ctxt_switches:")) {
                    v[4] = value(line);
                } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                    v[5] = value(line);
                }
            }
            String[] sched = read(task.resolve("schedstat")).strip().split(" ");
            if (sched.length >= 3) {
                v[6] = Long.parseLong(sched[1]);
                v[7] = Long.parseLong(sched[2]);
            }
            return v;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long value(String line) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file);
    }
}
