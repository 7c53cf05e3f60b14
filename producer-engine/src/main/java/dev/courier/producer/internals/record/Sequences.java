package dev.courier.producer.internals.record;

/**
 * Arithmetic on the idempotent producer's per-partition sequence numbers, which run from 0 to
 * Integer.MAX_VALUE and then wrap to 0 (record batch v2).
 */
public final class Sequences {

    private static final long MODULUS = (long) Integer.MAX_VALUE + 1;

    private Sequences() {
    }

    /** {@code sequence + by}, wrapping after Integer.MAX_VALUE; {@code increment(-1, 1)} is 0. */
    public static int increment(int sequence, int by) {
        return (int) (((long) sequence + by) % MODULUS);
    }

    /** Whether {@code a} comes before {@code b} on the sequence circle (they are never far apart). */
    public static boolean before(int a, int b) {
        int distance = (b - a) & Integer.MAX_VALUE;
        return distance != 0 && distance < (1 << 30);
    }
}
