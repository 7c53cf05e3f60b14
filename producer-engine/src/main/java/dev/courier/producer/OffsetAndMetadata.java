package dev.courier.producer;

/**
 * An offset to commit for a consumer group: as in Kafka, the offset of the <em>next</em> record to
 * consume (the last processed record's offset + 1), with optional metadata (may be null).
 */
public record OffsetAndMetadata(long offset, String metadata) {

    public OffsetAndMetadata {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
    }

    public OffsetAndMetadata(long offset) {
        this(offset, "");
    }
}
