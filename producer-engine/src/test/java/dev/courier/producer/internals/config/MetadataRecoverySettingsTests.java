package dev.courier.producer.internals.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.ProducerConfig;
import dev.courier.producer.errors.ConfigException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** metadata.recovery.strategy and metadata.recovery.rebootstrap.trigger.ms: Kafka's defaults, validated. */
class MetadataRecoverySettingsTests {

    private static ProducerSettings settings(Object... keysAndValues) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS, "localhost:9092");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return ProducerSettings.from(config);
    }

    @Test
    void defaultsAreKafkasRebootstrapAfterFiveMinutes() {
        Map<String, Object> kafka = org.apache.kafka.clients.producer.ProducerConfig.configDef().defaultValues();
        assertThat(kafka.get(ProducerConfig.METADATA_RECOVERY_STRATEGY)).isEqualTo("rebootstrap");
        assertThat(kafka.get(ProducerConfig.METADATA_RECOVERY_REBOOTSTRAP_TRIGGER_MS)).isEqualTo(300_000L);

        ProducerSettings defaults = settings();
        assertThat(defaults.metadataRecoveryRebootstrap()).isTrue();
        assertThat(defaults.metadataRecoveryRebootstrapTriggerMs()).isEqualTo(300_000L);
    }

    @Test
    void noneTurnsRebootstrapOffInAnyCase() {
        assertThat(settings(ProducerConfig.METADATA_RECOVERY_STRATEGY, "NONE").metadataRecoveryRebootstrap()).isFalse();
        assertThat(settings(ProducerConfig.METADATA_RECOVERY_STRATEGY, "Rebootstrap").metadataRecoveryRebootstrap())
                .isTrue();
        assertThat(settings(ProducerConfig.METADATA_RECOVERY_REBOOTSTRAP_TRIGGER_MS, "2000")
                .metadataRecoveryRebootstrapTriggerMs()).isEqualTo(2000L);
    }

    @Test
    void anUnknownStrategyOrANegativeTriggerIsRefused() {
        assertThatThrownBy(() -> settings(ProducerConfig.METADATA_RECOVERY_STRATEGY, "reconnect"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("metadata.recovery.strategy")
                .hasMessageContaining("none, rebootstrap");
        assertThatThrownBy(() -> settings(ProducerConfig.METADATA_RECOVERY_REBOOTSTRAP_TRIGGER_MS, -1))
                .isInstanceOf(ConfigException.class).hasMessageContaining("metadata.recovery.rebootstrap.trigger.ms");
    }
}
