package dev.courier.test;

import java.lang.reflect.Parameter;
import java.util.Optional;

import dev.courier.test.internals.DeclaredClusters;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link EmbeddedKafkaCluster}: before a test class's first test it starts (or joins)
 * the shared cluster the class declares and creates the declared topics, then resolves {@link EmbeddedKafka},
 * {@link RecordReader} and {@link BootstrapServers @BootstrapServers String} parameters. A {@code @Nested} class
 * without an annotation of its own uses its enclosing class's cluster.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EmbeddedKafkaExtension.class);
    private static final String CLUSTER = "cluster";

    /**
     * Starts or joins the shared cluster that {@code declaration} describes and creates its topics; for framework
     * integrations (Courier's Spring test support uses it), tests take the cluster as a parameter instead.
     *
     * @throws IllegalArgumentException if the declaration is invalid (names the attribute and value)
     */
    public static EmbeddedKafka cluster(EmbeddedKafkaCluster declaration) {
        return DeclaredClusters.obtain(declaration);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Optional<EmbeddedKafkaCluster> declaration =
                AnnotationSupport.findAnnotation(context.getRequiredTestClass(), EmbeddedKafkaCluster.class);
        declaration.ifPresent(d -> context.getStore(NAMESPACE).put(CLUSTER, cluster(d)));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Parameter parameter = parameterContext.getParameter();
        Class<?> type = parameter.getType();
        return type == EmbeddedKafka.class || type == RecordReader.class
                || (type == String.class && parameterContext.isAnnotated(BootstrapServers.class));
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        // The store lookup falls back to the enclosing classes' contexts.
        EmbeddedKafka kafka = extensionContext.getStore(NAMESPACE).get(CLUSTER, EmbeddedKafka.class);
        if (kafka == null) {
            throw new ParameterResolutionException("No embedded Kafka cluster for "
                    + parameterContext.getDeclaringExecutable() + ": annotate the test class with @"
                    + EmbeddedKafkaCluster.class.getSimpleName());
        }
        Class<?> type = parameterContext.getParameter().getType();
        if (type == EmbeddedKafka.class) {
            return kafka;
        }
        if (type == RecordReader.class) {
            return new RecordReader(kafka);
        }
        return kafka.bootstrapServers();
    }
}
