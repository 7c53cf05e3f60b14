package dev.courier.producer.spring.test;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

import dev.courier.test.EmbeddedKafkaCluster;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** Which test classes get the customizer, and when two of them can share a cached context. No broker starts here. */
class EmbeddedKafkaContextCustomizerFactoryTests {

    private final EmbeddedKafkaContextCustomizerFactory factory = new EmbeddedKafkaContextCustomizerFactory();

    @Test
    void isRegisteredForSpringsTestFramework() {
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(ContextCustomizerFactory.class))
                .hasAtLeastOneElementOfType(EmbeddedKafkaContextCustomizerFactory.class);
    }

    @Test
    void isInertWhenCourierTestIsNotOnTheClassPath() throws Exception {
        try (URLClassLoader withoutCourierTest = classPathWithout("courier-test")) {
            assertThat(withoutCourierTest.getResource("dev/courier/test/EmbeddedKafkaCluster.class")).isNull();
            Class<?> factoryClass = withoutCourierTest.loadClass(EmbeddedKafkaContextCustomizerFactory.class.getName());
            Object isolatedFactory = factoryClass.getConstructor().newInstance();
            Class<?> testClass = withoutCourierTest.loadClass(Plain.class.getName());

            Object customizer = factoryClass.getMethod("createContextCustomizer", Class.class, List.class)
                    .invoke(isolatedFactory, testClass, List.of());

            assertThat(customizer).isNull();
        }
    }

    @Test
    void aTestClassWithoutTheAnnotationGetsNoCustomizer() {
        assertThat(factory.createContextCustomizer(Plain.class, List.of())).isNull();
    }

    @Test
    void aNestedTestClassGetsItsEnclosingClassesCluster() {
        assertThat(factory.createContextCustomizer(Declaring.Inner.class, List.of()))
                .isEqualTo(factory.createContextCustomizer(Declaring.class, List.of()));
    }

    @Test
    void equalDeclarationsShareAContextAndOtherDeclarationsDoNot() {
        ContextCustomizer declaring = factory.createContextCustomizer(Declaring.class, List.of());

        assertThat(declaring).isNotNull()
                .isEqualTo(factory.createContextCustomizer(DeclaringTheSame.class, List.of()))
                .hasSameHashCodeAs(factory.createContextCustomizer(DeclaringTheSame.class, List.of()))
                .isNotEqualTo(factory.createContextCustomizer(DeclaringOtherTopics.class, List.of()));
    }

    /** This JVM's class path minus the entries whose path contains {@code excluded}, with no parent to fall back on. */
    private static URLClassLoader classPathWithout(String excluded) throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.contains(excluded)) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    static class Plain {
    }

    @EmbeddedKafkaCluster(topics = "a")
    static class Declaring {

        class Inner {
        }
    }

    @EmbeddedKafkaCluster(topics = "a")
    static class DeclaringTheSame {
    }

    @EmbeddedKafkaCluster(topics = "b")
    static class DeclaringOtherTopics {
    }
}
