package dev.courier.producer.spring.test;

import java.util.List;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.util.ClassUtils;

/**
 * Spring's test framework asks this factory (registered in {@code META-INF/spring.factories}) about every test
 * class; for one annotated with courier-test's {@code @EmbeddedKafkaCluster} it returns a customizer that points the
 * producer at the embedded cluster. It is inert when courier-test is not on the class path: this class names
 * courier-test's types only as strings, so loading it never needs them.
 */
public final class EmbeddedKafkaContextCustomizerFactory implements ContextCustomizerFactory {

    private static final String ANNOTATION = "dev.courier.test.EmbeddedKafkaCluster";

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
                                                     List<ContextConfigurationAttributes> configAttributes) {
        if (!ClassUtils.isPresent(ANNOTATION, testClass.getClassLoader())) {
            return null;
        }
        return EmbeddedKafkaContextCustomizer.forTestClass(testClass);
    }
}
