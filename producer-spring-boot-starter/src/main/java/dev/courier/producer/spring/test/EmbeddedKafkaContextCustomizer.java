package dev.courier.producer.spring.test;

import java.util.Arrays;
import java.util.List;

import dev.courier.producer.spring.autoconfigure.CourierConnectionDetails;
import dev.courier.test.EmbeddedKafka;
import dev.courier.test.EmbeddedKafkaCluster;
import dev.courier.test.EmbeddedKafkaExtension;
import dev.courier.test.RecordReader;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Starts (or joins) the test class's {@link EmbeddedKafkaCluster} before the context refreshes and registers three
 * beans: a {@link CourierConnectionDetails} with the cluster's bootstrap servers (so it wins over
 * {@code courier.producer.bootstrap-servers}, as a service connection would), the {@link EmbeddedKafka} handle and a
 * {@link RecordReader}. Equal declarations give equal customizers, so Spring's context cache shares contexts.
 */
final class EmbeddedKafkaContextCustomizer implements ContextCustomizer {

    static final String CONNECTION_DETAILS_BEAN = "embeddedKafkaConnectionDetails";
    static final String CLUSTER_BEAN = "embeddedKafka";
    static final String READER_BEAN = "embeddedKafkaRecordReader";

    private final EmbeddedKafkaCluster declaration;

    private EmbeddedKafkaContextCustomizer(EmbeddedKafkaCluster declaration) {
        this.declaration = declaration;
    }

    /** A customizer for {@code testClass}'s declaration (also found on enclosing classes), or null without one. */
    static EmbeddedKafkaContextCustomizer forTestClass(Class<?> testClass) {
        EmbeddedKafkaCluster declaration =
                TestContextAnnotationUtils.findMergedAnnotation(testClass, EmbeddedKafkaCluster.class);
        return declaration == null ? null : new EmbeddedKafkaContextCustomizer(declaration);
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
        EmbeddedKafka kafka = EmbeddedKafkaExtension.cluster(declaration);
        ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
        // Singletons the context does not own: the cluster stays up for the next context and closes at JVM exit.
        beanFactory.registerSingleton(CLUSTER_BEAN, kafka);
        beanFactory.registerSingleton(READER_BEAN, new RecordReader(kafka));
        beanFactory.registerSingleton(CONNECTION_DETAILS_BEAN, new EmbeddedKafkaConnectionDetails(kafka));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EmbeddedKafkaContextCustomizer that && declaration.equals(that.declaration);
    }

    @Override
    public int hashCode() {
        return declaration.hashCode();
    }

    /** Asks the cluster each time: a restarted broker listens on a new port. */
    private record EmbeddedKafkaConnectionDetails(EmbeddedKafka kafka) implements CourierConnectionDetails {

        @Override
        public List<String> getBootstrapServers() {
            return Arrays.asList(kafka.bootstrapServers().split(","));
        }
    }
}
