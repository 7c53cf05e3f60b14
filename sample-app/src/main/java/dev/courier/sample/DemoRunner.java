package dev.courier.sample;

import dev.courier.producer.spring.ProducerTemplate;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

/**
 * The demo ({@code sample.demo.enabled=true}): publishes {@code sample.demo.count} events as fast as the
 * producer takes them, logs progress every second, then a delivery report (sent, acknowledged, failed,
 * throughput, per-partition counts). With {@code sample.demo.exit-when-done} (the default) the application
 * then shuts down gracefully and exits, with status 1 if any event failed.
 */
@Component
@ConditionalOnBooleanProperty("sample.demo.enabled")
class DemoRunner implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoRunner.class);
    /** Distinct keys the demo spreads its events over. */
    private static final int CUSTOMERS = 1000;

    private final ProducerTemplate<String, Event> template;
    private final SampleProperties properties;
    private final ConfigurableApplicationContext context;

    DemoRunner(ProducerTemplate<String, Event> template, SampleProperties properties,
               ConfigurableApplicationContext context) {
        this.template = template;
        this.properties = properties;
        this.context = context;
    }

    @Override
    public void run(ApplicationArguments args) {
        DeliveryReport report = publish(properties.demo().count());
        log.info("{}", report.summary());
        if (properties.demo().exitWhenDone()) {
            int status = SpringApplication.exit(context, () -> report.failedCount() == 0 ? 0 : 1);
            System.exit(status);
        }
    }

    /** Publishes {@code count} events and returns once every one of them is acknowledged or failed. */
    DeliveryReport publish(int count) {
        String topic = properties.topic();
        log.info("Demo: publishing {} events to {}", String.format("%,d", count), topic);
        DeliveryReport report = new DeliveryReport();
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "demo-progress");
            thread.setDaemon(true);
            return thread;
        });
        progress.scheduleAtFixedRate(() -> log.info("  ... {}", report.progressLine()), 1, 1, TimeUnit.SECONDS);
        try {
            // Outcomes are counted by the report as they arrive; the futures are not kept, so a large run does
            // not hold every record, event and result in memory until the end.
            String[] keys = new String[Math.min(count, CUSTOMERS)];
            for (int c = 0; c < keys.length; c++) {
                keys[c] = "customer-" + c;
            }
            for (int i = 0; i < count; i++) {
                Event event = new Event("demo-" + i, "demo", "event number " + i, Instant.now());
                template.send(topic, keys[i % CUSTOMERS], event).whenComplete(report);
                report.sent();
            }
            template.flush();
            report.awaitOutcomes(count);
            report.finished();
            return report;
        } finally {
            progress.shutdownNow();
        }
    }
}
