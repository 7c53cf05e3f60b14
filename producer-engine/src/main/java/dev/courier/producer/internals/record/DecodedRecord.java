package dev.courier.producer.internals.record;

import dev.courier.producer.Header;
import java.util.Arrays;
import java.util.List;

/**
 * One record read back from a batch, with its absolute timestamp.
 *
 * @param key   null for a null key
 * @param value null for a tombstone
 */
public record DecodedRecord(long timestamp, int offsetDelta, byte[] key, byte[] value, List<Header> headers) {

    public DecodedRecord {
        headers = List.copyOf(headers);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DecodedRecord that
                && timestamp == that.timestamp
                && offsetDelta == that.offsetDelta
                && Arrays.equals(key, that.key)
                && Arrays.equals(value, that.value)
                && headers.equals(that.headers);
    }

    @Override
    public int hashCode() {
        int result = Long.hashCode(timestamp);
        result = 31 * result + offsetDelta;
        result = 31 * result + Arrays.hashCode(key);
        result = 31 * result + Arrays.hashCode(value);
        return 31 * result + headers.hashCode();
    }

    @Override
    public String toString() {
        return "DecodedRecord(timestamp=" + timestamp + ", offsetDelta=" + offsetDelta
                + ", key=" + (key == null ? "null" : key.length + " bytes")
                + ", value=" + (value == null ? "null" : value.length + " bytes")
                + ", headers=" + headers + ")";
    }
}
