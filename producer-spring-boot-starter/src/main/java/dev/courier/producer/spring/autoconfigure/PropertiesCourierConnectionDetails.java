package dev.courier.producer.spring.autoconfigure;

import dev.courier.producer.ProducerConfig;
import java.util.Arrays;
import java.util.List;

/**
 * {@link CourierConnectionDetails} read from {@code courier.producer.*}: the raw {@code properties} map's
 * entry when it has one (it wins over typed properties everywhere), else the typed property.
 */
final class PropertiesCourierConnectionDetails implements CourierConnectionDetails {

    private final CourierProducerProperties properties;

    PropertiesCourierConnectionDetails(CourierProducerProperties properties) {
        this.properties = properties;
    }

    @Override
    public List<String> getBootstrapServers() {
        String raw = properties.getProperties().get(ProducerConfig.BOOTSTRAP_SERVERS);
        if (raw != null) {
            return Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        return properties.getBootstrapServers();
    }

    @Override
    public String getSecurityProtocol() {
        String raw = properties.getProperties().get(ProducerConfig.SECURITY_PROTOCOL);
        return raw != null ? raw : properties.getSecurity().getProtocol();
    }

    @Override
    public String getSslBundleName() {
        return properties.getSsl().getBundle();
    }
}
