package dev.courier.producer;

import java.util.Map;

import dev.courier.producer.serialization.StringSerializer;

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

    /** A String producer in this mode. */
    Producer<String, String> newProducer(Map<String, Object> config) {
        return new CourierProducer<>(apply(config), new StringSerializer(), new StringSerializer());
    }
}
