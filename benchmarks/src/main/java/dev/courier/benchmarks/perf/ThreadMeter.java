package dev.courier.benchmarks.perf;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time and allocated bytes of a producer's threads (the caller plus the client's own threads,
 * found by name), and the JVM's GC count, between {@link #start} and {@link #stop}. Per-thread numbers
 * come from {@code com.sun.management.ThreadMXBean}, so the broker in the same JVM does not count; the
 * GC count is JVM-wide and does include it.
 */
final class ThreadMeter {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static {
        if (THREADS.isThreadCpuTimeSupported()) {
            THREADS.setThreadCpuTimeEnabled(true);
        }
        if (THREADS.isThreadAllocatedMemorySupported()) {
            THREADS.setThreadAllocatedMemoryEnabled(true);
        }
    }

    private final long[] threadIds;
    private final long[] cpuAtStart;
    private final long[] userAtStart;
    private final long[] allocatedAtStart;
    private long gcAtStart;
    private long cpuNanos;
    private long userNanos;
    private long allocatedBytes;
    private long gcCount;
    private long callerCpuNanos;
    /** When set, the caller's (index 0) CPU is what {@link #addCallerCpu} reported, not its whole window. */
    private boolean callerTimedPerSend;
    private long callerSendNanos;

    private ThreadMeter(long[] threadIds) {
        this.threadIds = threadIds;
        this.cpuAtStart = new long[threadIds.length];
        this.userAtStart = new long[threadIds.length];
        this.allocatedAtStart = new long[threadIds.length];
    }

    /** Meters the calling thread and every live thread whose name starts with one of the prefixes. */
    static ThreadMeter forCallerAnd(List<String> threadNamePrefixes) {
        List<Long> ids = new ArrayList<>();
        ids.add(Thread.currentThread().getId());
        List<String> missing = new ArrayList<>(threadNamePrefixes);
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            for (String prefix : threadNamePrefixes) {
                if (thread.getName().startsWith(prefix)) {
                    ids.add(thread.getId());
                    missing.remove(prefix);
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("producer threads not found: " + missing);
        }
        return new ThreadMeter(ids.stream().mapToLong(Long::longValue).toArray());
    }

    int threadCount() {
        return threadIds.length;
    }

    /** Per thread: name, CPU ms and MB allocated over the window (for -Dbench.threads=true). */
    String perThread() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < threadIds.length; i++) {
            java.lang.management.ThreadInfo info = THREADS.getThreadInfo(threadIds[i]);
            s.append(String.format(java.util.Locale.ROOT, "    %-45s CPU %7.1f ms  alloc %7.1f MB%n",
                    info == null ? threadIds[i] : info.getThreadName(),
                    (THREADS.getThreadCpuTime(threadIds[i]) - cpuAtStart[i]) / 1e6,
                    (THREADS.getThreadAllocatedBytes(threadIds[i]) - allocatedAtStart[i]) / 1e6));
        }
        return s.toString();
    }

    /**
     * Counts only the caller's CPU inside {@code send}, as reported through {@link #addCallerCpu}. For
     * fixed-rate runs: between sends the caller parks to keep the schedule, and that pacing (a timed park
     * per record, about 13 µs of CPU on this machine) is the benchmark's cost, the same for both clients,
     * not the producer's. In-send CPU is counted as user time too, since a per-send user-time reading
     * would cost more than the send (it is an upper bound: the sender wake-up's syscall is kernel time).
     */
    void timeCallerPerSend() {
        callerTimedPerSend = true;
    }

    /** The caller thread's CPU time now (only meaningful with {@link #timeCallerPerSend}). */
    static long callerCpuNow() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** Adds CPU the caller spent in one send (with {@link #timeCallerPerSend}). */
    void addCallerCpu(long nanos) {
        callerSendNanos += nanos;
    }

    void start() {
        callerSendNanos = 0;
        for (int i = 0; i < threadIds.length; i++) {
            cpuAtStart[i] = THREADS.getThreadCpuTime(threadIds[i]);
            userAtStart[i] = THREADS.getThreadUserTime(threadIds[i]);
            allocatedAtStart[i] = THREADS.getThreadAllocatedBytes(threadIds[i]);
        }
        gcAtStart = gcCount();
    }

    void stop() {
        cpuNanos = 0;
        userNanos = 0;
        allocatedBytes = 0;
        int first = 0;
        if (callerTimedPerSend) {
            callerCpuNanos = callerSendNanos;
            cpuNanos += callerSendNanos;
            userNanos += callerSendNanos;
            allocatedBytes += THREADS.getThreadAllocatedBytes(threadIds[0]) - allocatedAtStart[0];
            first = 1;
        }
        for (int i = first; i < threadIds.length; i++) {
            long cpu = THREADS.getThreadCpuTime(threadIds[i]);
            long allocated = THREADS.getThreadAllocatedBytes(threadIds[i]);
            long user = THREADS.getThreadUserTime(threadIds[i]);
            if (cpu >= 0 && cpuAtStart[i] >= 0) {
                cpuNanos += cpu - cpuAtStart[i];
                if (i == 0) {
                    callerCpuNanos = cpu - cpuAtStart[i];
                }
            }
            if (user >= 0 && userAtStart[i] >= 0) {
                userNanos += user - userAtStart[i];
            }
            if (allocated >= 0 && allocatedAtStart[i] >= 0) {
                allocatedBytes += allocated - allocatedAtStart[i];
            }
        }
        gcCount = gcCount() - gcAtStart;
    }

    long cpuNanos() {
        return cpuNanos;
    }

    /** The caller thread's part of {@link #cpuNanos()}: what sending costs the application's own thread. */
    long callerCpuNanos() {
        return callerCpuNanos;
    }

    /**
     * The user-mode part of {@link #cpuNanos()}. The rest is kernel time, which on loopback includes the
     * receiving side's TCP processing and is much the same for any client sending the same bytes.
     */
    long userNanos() {
        return userNanos;
    }

    long allocatedBytes() {
        return allocatedBytes;
    }

    long gcCountDelta() {
        return gcCount;
    }

    private static long gcCount() {
        long count = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
        }
        return count;
    }
}
