package dev.courier.sample;

import dev.courier.test.EmbeddedKafka;

/**
 * Runs the sample as processed by Spring AOT ({@code -Paot}, see the README) against a broker started in this JVM,
 * with the demo publishing {@code sample.demo.count} events (default 1000) and exiting. Run it on the JVM with
 * {@code -Dspring.aot.enabled=true}.
 *
 * <p>Unlike {@link DevSampleApplication}, the broker cannot come in as extra configuration: an AOT-processed
 * context is fixed at build time. So the broker is started first and the producer pointed at it through
 * {@code courier.producer.bootstrap-servers}, which is still bound at runtime.
 */
public final class AotSampleApplication {

    private AotSampleApplication() {
    }

    public static void main(String[] args) {
        EmbeddedKafka kafka = EmbeddedKafka.shared();
        kafka.createTopic("sample-events", EmbeddedKafkaConfig.PARTITIONS, 1);
        System.setProperty("courier.producer.bootstrap-servers", kafka.bootstrapServers());
        if (System.getProperty("sample.demo.count") == null) {
            System.setProperty("sample.demo.count", "1000");
        }
        if (System.getProperty("server.port") == null) {
            System.setProperty("server.port", "0");
        }
        SampleApplication.main(args);
    }
}
