package dev.courier.producer.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.serialization.LongSerializer;
import dev.courier.producer.serialization.Serializer;
import dev.courier.producer.serialization.StringSerializer;
import dev.courier.producer.spring.json.JacksonValueSerializer;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.javapoet.ClassName;

/** The hints a native image (or the JVM under Spring AOT) needs for what the producer loads by class name. */
class CourierProducerRuntimeHintsTests {

    @Test
    void everyBuiltInSerializerCanBeInstantiatedByName() throws NoSuchMethodException {
        RuntimeHints hints = new RuntimeHints();
        new CourierProducerRuntimeHints().registerHints(hints, getClass().getClassLoader());
        for (Class<?> serializer : CourierProducerRuntimeHints.SERIALIZERS) {
            assertThat(RuntimeHintsPredicates.reflection().onConstructorInvocation(serializer.getConstructor()))
                    .as(serializer.getName()).accepts(hints);
        }
        assertThat(CourierProducerRuntimeHints.SERIALIZERS).contains(StringSerializer.class, LongSerializer.class);
    }

    @Test
    void everyConcreteSerializerInTheEnginesSerializationPackageIsRegistered() throws Exception {
        RuntimeHints hints = new RuntimeHints();
        new CourierProducerRuntimeHints().registerHints(hints, getClass().getClassLoader());
        Resource[] classes = new PathMatchingResourcePatternResolver()
                .getResources("classpath*:dev/courier/producer/serialization/*.class");
        List<Class<?>> concrete = new ArrayList<>();
        for (Resource resource : classes) {
            String name = "dev.courier.producer.serialization." + resource.getFilename().replace(".class", "");
            Class<?> type = Class.forName(name);
            if (Serializer.class.isAssignableFrom(type) && !type.isInterface()
                    && !Modifier.isAbstract(type.getModifiers()) && Modifier.isPublic(type.getModifiers())) {
                concrete.add(type);
            }
        }
        assertThat(concrete).as("serializers found").hasSizeGreaterThanOrEqualTo(6);
        for (Class<?> type : concrete) {
            assertThat(RuntimeHintsPredicates.reflection().onConstructorInvocation(type.getConstructor()))
                    .as("a new serializer needs a hint: " + type.getName()).accepts(hints);
        }
    }

    @Test
    void theJsonSerializerAndTheCompressionProbesAreRegisteredByName() {
        RuntimeHints hints = new RuntimeHints();
        new CourierProducerRuntimeHints().registerHints(hints, getClass().getClassLoader());
        assertThat(CourierProducerRuntimeHints.JSON_SERIALIZER).isEqualTo(JacksonValueSerializer.class.getName());
        assertThat(RuntimeHintsPredicates.reflection().onType(JacksonValueSerializer.class)).accepts(hints);
        for (String probe : CourierProducerRuntimeHints.CODEC_PROBES) {
            assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(probe))).as(probe).accepts(hints);
        }
    }

    @Test
    void theAutoConfigurationContributesTheHintsWhenProcessedAheadOfTime() throws NoSuchMethodException {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test",
                    Map.of("courier.producer.bootstrap-servers", "localhost:1")));
            context.register(CourierProducerAutoConfiguration.class);
            DefaultGenerationContext generation = new DefaultGenerationContext(
                    new ClassNameGenerator(ClassName.get(getClass())), new InMemoryGeneratedFiles());
            new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
            assertThat(RuntimeHintsPredicates.reflection()
                    .onConstructorInvocation(StringSerializer.class.getConstructor()))
                    .accepts(generation.getRuntimeHints());
            // Binding courier.producer.* is Spring Boot's part: its processing of @ConfigurationProperties.
            assertThat(RuntimeHintsPredicates.reflection()
                    .onMethodInvocation(CourierProducerProperties.class, "setLinger"))
                    .accepts(generation.getRuntimeHints());
            assertThat(RuntimeHintsPredicates.reflection()
                    .onMethodInvocation(CourierProducerProperties.Shutdown.class, "setTimeout"))
                    .accepts(generation.getRuntimeHints());
        }
    }
}
