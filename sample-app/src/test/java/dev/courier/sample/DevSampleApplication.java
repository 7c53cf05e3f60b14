package dev.courier.sample;

import org.springframework.boot.SpringApplication;

/**
 * Runs the sample at development time against a real Kafka broker started for it ({@link EmbeddedKafkaConfig}),
 * with the demo on: {@code ./mvnw -pl sample-app spring-boot:test-run} (see the README for the full command).
 *
 * <p>Defaults, each overridable with {@code -Dspring-boot.run.arguments="--sample.demo.count=20000"}: the demo
 * runs, and the application exits after its report on a random port; with
 * {@code --sample.demo.exit-when-done=false} it keeps serving {@code POST /events} on port 8080.
 */
public final class DevSampleApplication {

    private DevSampleApplication() {
    }

    public static void main(String[] args) {
        // System properties rank below command-line arguments, so these are only defaults.
        defaultProperty("sample.demo.enabled", "true");
        defaultProperty("sample.demo.count", "100000");
        boolean exits = !containsArgument(args, "--sample.demo.exit-when-done=false");
        defaultProperty("server.port", exits ? "0" : "8080");
        try {
            SpringApplication.from(SampleApplication::main).with(EmbeddedKafkaConfig.class).run(args);
        } catch (RuntimeException e) {
            // Startup failed (Spring Boot has reported why); the broker's threads would keep the JVM alive.
            System.exit(1);
        }
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static boolean containsArgument(String[] args, String argument) {
        for (String arg : args) {
            if (arg.equals(argument)) {
                return true;
            }
        }
        return false;
    }
}
