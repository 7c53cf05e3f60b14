package dev.courier.producer.spring.autoconfigure;

import dev.courier.producer.serialization.ByteArraySerializer;
import dev.courier.producer.serialization.ByteBufferSerializer;
import dev.courier.producer.serialization.IntegerSerializer;
import dev.courier.producer.serialization.LongSerializer;
import dev.courier.producer.serialization.StringSerializer;
import dev.courier.producer.serialization.UUIDSerializer;
import java.util.List;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * What a native image (or the JVM under Spring AOT) must keep for the classes the producer loads by name.
 *
 * <p>The engine instantiates serializers, partitioners and interceptors given as class names
 * ({@code key.serializer=dev.courier.producer.serialization.LongSerializer}) through their public no-argument
 * constructor, so the built-in serializers are registered for that. Application classes named that way must be
 * registered by the application. The optional compression libraries are only probed with
 * {@code Class.forName}, so their entry classes need no more than a type hint. The
 * {@code courier.producer.*} binding is covered by Spring Boot's own processing of
 * {@code @ConfigurationProperties}.
 */
class CourierProducerRuntimeHints implements RuntimeHintsRegistrar {

    /** Built-in serializers, loadable by name. */
    static final List<Class<?>> SERIALIZERS = List.of(StringSerializer.class, ByteArraySerializer.class,
            ByteBufferSerializer.class, IntegerSerializer.class, LongSerializer.class, UUIDSerializer.class);

    /** Classes the engine probes to tell whether a compression codec is available (see CompressionType). */
    static final List<String> CODEC_PROBES = List.of("org.xerial.snappy.Snappy", "net.jpountz.lz4.LZ4Factory",
            "com.github.luben.zstd.Zstd");

    static final String JSON_SERIALIZER = "dev.courier.producer.spring.json.JacksonValueSerializer";

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        for (Class<?> serializer : SERIALIZERS) {
            hints.reflection().registerType(serializer, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
        }
        // By name: Jackson is optional, and the class must not be loaded when it is absent.
        hints.reflection().registerType(TypeReference.of(JSON_SERIALIZER), MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
        for (String probe : CODEC_PROBES) {
            hints.reflection().registerType(TypeReference.of(probe));
        }
    }
}
