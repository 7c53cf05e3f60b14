package dev.courier.producer.internals.metadata;

import static dev.courier.producer.internals.metadata.MetadataTests.response;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** metadata.recovery.strategy and metadata.recovery.rebootstrap.trigger.ms, as {@link Metadata} decides them. */
class MetadataRecoveryTests {

    private static final long TRIGGER = 10_000;
    private static final InetSocketAddress FIRST = InetSocketAddress.createUnresolved("kafka-a", 9092);
    private static final InetSocketAddress SECOND = InetSocketAddress.createUnresolved("kafka-b", 9092);

    private final Metadata metadata = new Metadata(100, 1_000, 300_000, 60_000);
    private final AtomicReference<List<InetSocketAddress>> dns = new AtomicReference<>(List.of(FIRST));
    private long now = 1_000_000;

    @BeforeEach
    void bootstrapAndLearnTheCluster() {
        metadata.bootstrap(dns.get(), dns::get);
        metadata.recovery(true, TRIGGER);
        metadata.topicsForRequest(now);
        metadata.update(response(List.of()), now);
    }

    @Test
    void rebootstrapIsDueWhenMetadataWasWantedAndNoneCameForTheTriggerTime() {
        metadata.requestUpdate();
        assertThat(metadata.rebootstrapDue(now)).as("the clock starts").isFalse();
        assertThat(metadata.rebootstrapDue(now + TRIGGER - 1)).isFalse();
        assertThat(metadata.rebootstrapDue(now + TRIGGER)).isTrue();

        metadata.rebootstrap();
        assertThat(metadata.fetch().isBootstrapConfigured()).isTrue();
        assertThat(metadata.rebootstrapDue(now + 3 * TRIGGER)).as("already on the bootstrap servers").isFalse();
    }

    @Test
    void aSuccessfulUpdateStopsTheClock() {
        metadata.requestUpdate();
        metadata.rebootstrapDue(now);
        metadata.topicsForRequest(now + 5_000);
        metadata.update(response(List.of()), now + 5_000);
        metadata.requestUpdate();

        assertThat(metadata.rebootstrapDue(now + TRIGGER)).isFalse();
        assertThat(metadata.rebootstrapDue(now + 2 * TRIGGER - 1)).isFalse();
        assertThat(metadata.rebootstrapDue(now + 2 * TRIGGER)).isTrue();
    }

    @Test
    void aRoutineRefreshAfterMetadataMaxAgeIsNoReasonToRebootstrap() {
        long expiry = now + 300_000; // metadata.max.age.ms, longer than the trigger
        assertThat(metadata.rebootstrapDue(expiry - 1)).isFalse();
        assertThat(metadata.rebootstrapDue(expiry)).as("wanted from now on").isFalse();
        metadata.topicsForRequest(expiry + 50);
        metadata.update(response(List.of()), expiry + 50);

        assertThat(metadata.rebootstrapDue(expiry + TRIGGER)).isFalse();
    }

    @Test
    void noRebootstrapWhileNoMetadataIsWanted() {
        assertThat(metadata.updateRequested()).isFalse();
        assertThat(metadata.rebootstrapDue(now + TRIGGER * 5)).isFalse();
    }

    @Test
    void strategyNoneNeverRebootstraps() {
        metadata.recovery(false, TRIGGER);
        metadata.requestUpdate();
        assertThat(metadata.rebootstrapEnabled()).isFalse();
        assertThat(metadata.rebootstrapDue(now + TRIGGER * 100)).isFalse();
    }

    @Test
    void aRebootstrapResolvesTheBootstrapServersAgain() {
        dns.set(List.of(SECOND)); // the name now points at the replacement cluster

        metadata.rebootstrap();

        assertThat(metadata.fetch().nodes()).extracting(Node::host).containsExactly("kafka-b");
    }

    @Test
    void whenNothingResolvesAnyMoreTheAddressesResolvedBeforeAreKept() {
        Metadata failing = new Metadata(100, 1_000, 300_000, 60_000);
        failing.bootstrap(List.of(FIRST), () -> {
            throw new IllegalStateException("no address resolves");
        });

        failing.rebootstrap();

        assertThat(failing.fetch().nodes()).extracting(Node::host).containsExactly("kafka-a");
    }
}
