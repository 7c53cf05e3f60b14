package dev.courier.producer.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.Header;
import dev.courier.producer.ProducerRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Headers observers add to a record before it is sent. */
class OutgoingHeadersTests {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void withNothingSetTheCallersRecordIsSentAsIs() {
        ProducerRecord<String, String> record = new ProducerRecord<>("orders", "k", "v");
        assertThat(new OutgoingHeaders().applyTo(record)).isSameAs(record);
    }

    @Test
    void setHeadersFollowTheRecordsOwnAndReplaceThoseWithTheSameKey() {
        ProducerRecord<String, String> record = new ProducerRecord<>("orders", 2, 1_000L, "k", "v",
                List.of(new Header("traceparent", bytes("stale")), new Header("tenant", bytes("acme"))));
        OutgoingHeaders headers = new OutgoingHeaders();
        headers.set("traceparent", bytes("first"));
        headers.set("traceparent", bytes("current"));
        headers.set("tracestate", bytes("vendor=1"));

        ProducerRecord<String, String> sent = headers.applyTo(record);

        assertThat(sent.headers()).containsExactly(new Header("tenant", bytes("acme")),
                new Header("traceparent", bytes("current")), new Header("tracestate", bytes("vendor=1")));
        assertThat(sent.topic()).isEqualTo("orders");
        assertThat(sent.partition()).isEqualTo(2);
        assertThat(sent.timestamp()).isEqualTo(1_000L);
        assertThat(sent.key()).isEqualTo("k");
        assertThat(sent.value()).isEqualTo("v");
        assertThat(record.headers()).as("the caller's record is untouched").hasSize(2);
    }
}
