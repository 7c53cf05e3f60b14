package dev.courier.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * A small service that publishes events to Kafka through the Courier starter: {@code POST /events}
 * publishes one event per request, and the optional demo ({@code sample.demo.enabled=true}) publishes a
 * batch of events and logs a delivery report. Kafka settings live in {@code application.yml}.
 */
@SpringBootApplication
@EnableConfigurationProperties(SampleProperties.class)
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
