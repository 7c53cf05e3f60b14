package dev.courier.producer;

import java.util.Arrays;
import java.util.Objects;

/**
 * A record header: a non-null key and a value that may be null.
 *
 * @param key   header key, encoded as UTF-8 on the wire
 * @param value header value bytes, or {@code null}
 */
public record Header(String key, byte[] value) {

    public Header {
        Objects.requireNonNull(key, "header key must not be null");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Header that && key.equals(that.key) && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Header(" + key + ", " + (value == null ? "null" : value.length + " bytes") + ")";
    }
}
