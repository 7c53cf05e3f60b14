package dev.courier.producer.serialization;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** UUIDs as their canonical 36-character string in UTF-8, as Kafka's own serializer writes them. */
public final class UUIDSerializer implements Serializer<UUID> {

    @Override
    public byte[] serialize(String topic, UUID data) {
        return data == null ? null : data.toString().getBytes(StandardCharsets.UTF_8);
    }
}
