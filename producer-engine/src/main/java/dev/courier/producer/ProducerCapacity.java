package dev.courier.producer;

/**
 * How much a producer could take right now without waiting: what {@code trySend} would find. A snapshot, not
 * a reservation: other threads may take the room first.
 *
 * @param bytes   bytes of {@code buffer.memory} free for new records; 0 while blocked {@code send} callers wait
 *                for memory (they come first). A record that needs a new batch takes a whole batch's buffer
 *                ({@code batch.size}, or more for a larger record), so fewer bytes than that may not be enough.
 * @param records records {@code max.buffered.records} still allows (0 while blocked callers wait for one), or
 *                -1 when that limit is off
 */
public record ProducerCapacity(long bytes, long records) {

    /** Whether there are at least {@code bytes} bytes and room for one record. */
    public boolean hasRoomFor(long bytes) {
        return this.bytes >= bytes && records != 0;
    }
}
