package dev.courier.producer.internals.network;

/**
 * Connection ids of nodes ("1", "-1"), made once per id rather than once per readiness check or request, which
 * the sender makes several times a request.
 */
public final class NodeIds {

    private static final int LOWEST = -64;
    private static final int CACHED = 4096;
    /**
     * Shared by every producer's sender thread without a lock: a racy read sees either null (and makes the string
     * itself) or a complete string, which is immutable.
     */
    private static final String[] CACHE = new String[CACHED];

    private NodeIds() {
    }

    /** The same as {@code Integer.toString(id)}. */
    public static String of(int id) {
        int index = id - LOWEST;
        if (index < 0 || index >= CACHED) {
            return Integer.toString(id);
        }
        String cached = CACHE[index];
        if (cached == null) {
            cached = Integer.toString(id);
            CACHE[index] = cached;
        }
        return cached;
    }
}
