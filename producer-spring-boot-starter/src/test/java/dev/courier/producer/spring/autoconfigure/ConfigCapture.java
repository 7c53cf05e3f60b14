package dev.courier.producer.spring.autoconfigure;

import dev.courier.producer.spring.ProducerConfigCustomizer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.Ordered;

/** A customizer that runs last and keeps a copy of the configuration handed to the engine. */
class ConfigCapture implements ProducerConfigCustomizer, Ordered {

    private volatile Map<String, Object> config;

    @Override
    public void customize(Map<String, Object> config) {
        this.config = new LinkedHashMap<>(config);
    }

    Map<String, Object> config() {
        return config;
    }

    /** The value the engine receives for {@code key}, as text. */
    String get(String key) {
        Object value = config.get(key);
        return value == null ? null : String.valueOf(value);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
