package dev.courier.producer.spring.json;

import dev.courier.producer.errors.SerializationException;
import dev.courier.producer.serialization.Serializer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Writes values as JSON with the application's Jackson mapper, so records get the same JSON the
 * application's REST endpoints produce (modules, naming strategy, date format).
 *
 * <p>Two kinds of values pass through untouched, so a template typed for objects still sends text and
 * bytes as given: a {@code String} is written as its UTF-8 bytes (not as a quoted JSON string), and a
 * {@code byte[]} as is. {@code null} stays {@code null} (a tombstone). Thread-safe, as the mapper is.
 */
public final class JacksonValueSerializer<T> implements Serializer<T> {

    private final ObjectMapper mapper;

    public JacksonValueSerializer(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (data instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if (data instanceof byte[] bytes) {
            return bytes;
        }
        try {
            return mapper.writeValueAsBytes(data);
        } catch (JacksonException e) {
            throw new SerializationException("Can't write a " + data.getClass().getName() + " for topic " + topic
                    + " as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
