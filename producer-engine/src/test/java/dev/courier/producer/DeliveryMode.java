package dev.courier.producer;

import java.util.Map;

import dev.courier.producer.errors.ConfigException;
import dev.courier.producer.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;

/** The two ways the delivery tests run a producer: idempotent, or not idempotent with order kept by one in-flight request. */
enum DeliveryMode {

    /** {@code enable.idempotence=true}, default in-flight limit (5): no loss, no duplicates, order kept. */
    IDEMPOTENT,

    /** {@code enable.idempotence=false}, one request in flight per connection: no loss, order kept, duplicates possible. */
    NOT_IDEMPOTENT;

    /** Adds this mode's settings to {@code config}. */
    Map<String, Object> apply(Map<String, Object> config) {
        if (this == IDEMPOTENT) {
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE, true);
        } else {
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE, false);
            config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        }
        return config;
    }

    /**
     * A String producer in this mode. While the engine still refuses {@code enable.idempotence=true} the idempotent
     * variant is skipped (JUnit reports it as aborted, with the engine's message) rather than failed; it runs by
     * itself once the idempotent producer lands.
     */
    Producer<String, String> newProducer(Map<String, Object> config) {
        apply(config);
        try {
            return new CourierProducer<>(config, new StringSerializer(), new StringSerializer());
        } catch (ConfigException e) {
            if (this == IDEMPOTENT && String.valueOf(e.getMessage()).contains("not supported yet")) {
                Assumptions.abort("The engine does not support idempotence yet: " + e.getMessage());
            }
            throw e;
        }
    }
}
