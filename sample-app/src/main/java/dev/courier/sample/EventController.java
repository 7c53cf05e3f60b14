package dev.courier.sample;

import dev.courier.producer.spring.ProducerTemplate;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /events} with {@code {"type": "...", "payload": "..."}}: publishes one {@link Event} keyed by its
 * id and answers once the broker acknowledged it, with where it landed. The request thread is released while
 * waiting (the future completes on the producer's callback thread).
 */
@RestController
class EventController {

    private final ProducerTemplate<String, Event> template;
    private final SampleProperties properties;

    EventController(ProducerTemplate<String, Event> template, SampleProperties properties) {
        this.template = template;
        this.properties = properties;
    }

    @PostMapping("/events")
    @ResponseStatus(HttpStatus.CREATED)
    CompletableFuture<Published> publish(@RequestBody NewEvent request) {
        Event event = new Event(UUID.randomUUID().toString(), request.type(), request.payload(), Instant.now());
        return template.send(properties.topic(), event.id(), event)
                .thenApply(result -> new Published(event.id(), result.recordMetadata().topic(),
                        result.recordMetadata().partition(), result.recordMetadata().offset()));
    }

    record NewEvent(String type, String payload) {
    }

    record Published(String id, String topic, int partition, long offset) {
    }
}
