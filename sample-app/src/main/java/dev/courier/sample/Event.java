package dev.courier.sample;

import java.time.Instant;

/** What the sample publishes; written as JSON by the starter's Jackson value serializer. */
public record Event(String id, String type, String payload, Instant createdAt) {
}
