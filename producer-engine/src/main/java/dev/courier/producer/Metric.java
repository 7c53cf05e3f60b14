package dev.courier.producer;

/**
 * One of the producer's measurements, read live on each call of {@link #value()}.
 *
 * <p>Names follow Kafka's producer metrics where one exists ({@code record-send-total},
 * {@code request-latency-avg}, ...), so dashboards carry over.
 */
public interface Metric {

    /** Whether the value only grows (a count) or goes up and down (a level, rate or average). */
    enum Kind { COUNTER, GAUGE }

    String name();

    String description();

    Kind kind();

    double value();
}
