package dev.courier.producer.testing;

import java.io.IOException;
import java.io.InputStream;

/**
 * Entry point of a {@link BrokerProcess}: runs {@code kafka.Kafka} and halts the JVM as soon as its standard input
 * ends. The test JVM holds the other end of that pipe, so when it dies in any way (even SIGKILL, which runs no
 * shutdown hook) the broker follows it instead of outliving the test.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        Thread watchdog = new Thread(BrokerMain::haltWhenParentGoes, "broker-main-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        kafka.Kafka.main(args);
    }

    private static void haltWhenParentGoes() {
        byte[] buffer = new byte[256];
        try (InputStream in = System.in) {
            while (in.read(buffer) >= 0) {
                // the parent never writes; reading only waits for end of stream
            }
        } catch (IOException e) {
            // a broken pipe means the same as end of stream
        }
        Runtime.getRuntime().halt(3);
    }
}
