package dev.courier.producer.spring.autoconfigure;

import java.util.List;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where the producer connects, separate from how it behaves: define a bean of this type (or let a service
 * connection, such as a test container, contribute one) and it wins over {@code courier.producer.*}. Without
 * one, {@code courier.producer.bootstrap-servers} (or the raw {@code properties[bootstrap.servers]}) is used.
 *
 * <p>Values are applied to the engine's configuration before {@code ProducerConfigCustomizer}s run, so a
 * customizer still has the last word.
 */
public interface CourierConnectionDetails extends ConnectionDetails {

    /** Brokers to bootstrap from, as host:port pairs; null leaves the configuration as it is. */
    List<String> getBootstrapServers();

    /**
     * The {@code security.protocol} to use, or null (the default) to leave it unset: the engine's default,
     * PLAINTEXT, then applies.
     */
    default String getSecurityProtocol() {
        return null;
    }

    /**
     * Name of the Spring Boot SSL bundle to connect with, or null (the default). The producer's TLS context comes
     * from it (reloaded bundles reach new connections), and security.protocol becomes SSL when nothing sets it.
     */
    default String getSslBundleName() {
        return null;
    }
}
