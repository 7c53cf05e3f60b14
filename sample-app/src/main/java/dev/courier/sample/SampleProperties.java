package dev.courier.sample;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The sample's own settings ({@code sample.*}).
 *
 * @param topic topic the endpoint and the demo publish to
 * @param demo  the demo run at startup
 */
@ConfigurationProperties("sample")
public record SampleProperties(String topic, Demo demo) {

    public SampleProperties {
        topic = topic == null ? "sample-events" : topic;
        demo = demo == null ? new Demo(false, 100_000, true) : demo;
    }

    /**
     * @param enabled       whether to run the demo at startup
     * @param count         events the demo publishes
     * @param exitWhenDone  whether the application exits after the report (otherwise it keeps serving)
     */
    public record Demo(boolean enabled, int count, boolean exitWhenDone) {
    }
}
