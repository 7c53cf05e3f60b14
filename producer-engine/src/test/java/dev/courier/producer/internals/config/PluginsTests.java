package dev.courier.producer.internals.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.PartitionInfo;
import dev.courier.producer.Partitioner;
import dev.courier.producer.ProducerEventListener;
import dev.courier.producer.ProducerInterceptor;
import dev.courier.producer.ProducerRecord;
import dev.courier.producer.RecordMetadata;
import dev.courier.producer.errors.ConfigException;
import dev.courier.producer.serialization.Serializer;
import dev.courier.producer.serialization.StringSerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PluginsTests {

    private static final Map<String, Object> CONFIGS = Map.of("bootstrap.servers", "localhost:9092", "custom", "x");

    /** Lifecycle events of the plug-ins below, in order. */
    static final List<String> EVENTS = new ArrayList<>();

    private final Plugins plugins = new Plugins();

    @BeforeEach
    void clearEvents() {
        EVENTS.clear();
    }

    public static final class RecordingSerializer implements Serializer<String> {
        Map<String, ?> configs;
        Boolean isKey;

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            this.configs = configs;
            this.isKey = isKey;
        }

        @Override
        public byte[] serialize(String topic, String data) {
            return new byte[0];
        }
    }

    public static final class RecordingPartitioner implements Partitioner {
        Map<String, ?> configs;

        @Override
        public void configure(Map<String, ?> configs) {
            this.configs = configs;
        }

        @Override
        public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes,
                             List<PartitionInfo> partitions) {
            return 0;
        }
    }

    public static class FirstInterceptor implements ProducerInterceptor<Object, Object> {
        @Override
        public void configure(Map<String, ?> configs) {
            EVENTS.add(getClass().getSimpleName() + ".configure " + configs.get("custom"));
        }

        @Override
        public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
            return record;
        }

        @Override
        public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        }

        @Override
        public void close() {
            EVENTS.add(getClass().getSimpleName() + ".close");
        }
    }

    public static final class SecondInterceptor extends FirstInterceptor {
    }

    public static final class FailingConfigureInterceptor extends FirstInterceptor {
        @Override
        public void configure(Map<String, ?> configs) {
            throw new IllegalStateException("no good");
        }
    }

    public static final class NoDefaultConstructor extends FirstInterceptor {
        public NoDefaultConstructor(String unused) {
        }
    }

    public static final class ThrowingConstructor extends FirstInterceptor {
        public ThrowingConstructor() {
            throw new IllegalArgumentException("boom");
        }
    }

    public abstract static class AbstractSerializer implements Serializer<String> {
    }

    @Test
    void aSerializerGivenAsAClassIsCreatedAndConfigured() {
        Serializer<?> s = plugins.serializer(RecordingSerializer.class, CONFIGS, true);
        assertThat(s).isInstanceOf(RecordingSerializer.class);
        assertThat(((RecordingSerializer) s).configs).isEqualTo(CONFIGS);
        assertThat(((RecordingSerializer) s).isKey).isTrue();
    }

    @Test
    void aSerializerGivenAsAClassNameIsLoadedAndConfiguredAsAValueSerializer() {
        Serializer<?> s = plugins.serializer(" " + RecordingSerializer.class.getName() + " ", CONFIGS, false);
        assertThat(s).isInstanceOf(RecordingSerializer.class);
        assertThat(((RecordingSerializer) s).isKey).isFalse();
    }

    @Test
    void aSerializerGivenAsAnInstanceIsUsedAsItIsWithoutConfiguring() {
        RecordingSerializer instance = new RecordingSerializer();
        assertThat(plugins.serializer(instance, CONFIGS, true)).isSameAs(instance);
        assertThat(instance.configs).isNull();
    }

    /** An event listener that remembers its configuration. */
    public static final class ConfiguredListener implements ProducerEventListener {
        Map<String, ?> configs;

        @Override
        public void configure(Map<String, ?> configs) {
            this.configs = configs;
        }
    }

    @Test
    void eventListenersAreCreatedFromClassNamesAndConfiguredWhileInstancesAreUsedAsTheyAre() {
        ConfiguredListener instance = new ConfiguredListener();
        List<ProducerEventListener> listeners = plugins.eventListeners(
                List.of(ConfiguredListener.class.getName(), instance), CONFIGS);
        assertThat(listeners).hasSize(2).element(1).isSameAs(instance);
        assertThat(((ConfiguredListener) listeners.get(0)).configs).isEqualTo(CONFIGS);
        assertThat(instance.configs).isNull();
    }

    @Test
    void anEventListenerThatCannotBeLoadedNamesTheKey() {
        assertThatThrownBy(() -> plugins.eventListeners(List.of("com.example.NoSuchListener"), CONFIGS))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("com.example.NoSuchListener")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("event.listeners");
    }

    @Test
    void aMissingSerializerNamesTheKey() {
        assertThatThrownBy(() -> plugins.serializer(null, CONFIGS, false))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Invalid value null for configuration value.serializer: a Serializer is required")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("value.serializer");
    }

    @Test
    void anUnknownClassNameIsAnErrorNamingTheKeyAndTheClass() {
        assertThatThrownBy(() -> plugins.serializer("com.example.Missing", CONFIGS, true))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value com.example.Missing for configuration key.serializer: class com.example.Missing "
                        + "could not be loaded; it must be on the classpath and implement "
                        + "dev.courier.producer.serialization.Serializer")
                .hasCauseInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void aClassOfTheWrongTypeIsAnError() {
        assertThatThrownBy(() -> plugins.serializer(String.class, CONFIGS, true))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value class java.lang.String for configuration key.serializer: must implement "
                        + "dev.courier.producer.serialization.Serializer, but java.lang.String does not");
    }

    @Test
    void anInstanceOfTheWrongTypeIsAnError() {
        assertThatThrownBy(() -> plugins.partitioner(new StringSerializer(), CONFIGS))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("for configuration partitioner.class: must implement dev.courier.producer.Partitioner");
    }

    @Test
    void kafkasOwnSerializerIsRejectedWithTheCourierEquivalentSuggested() {
        assertThatThrownBy(() -> plugins.serializer("org.apache.kafka.common.serialization.StringSerializer", CONFIGS, true))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("use dev.courier.producer.serialization.StringSerializer");
    }

    @Test
    void anAbstractClassIsAnError() {
        assertThatThrownBy(() -> plugins.serializer(AbstractSerializer.class, CONFIGS, true))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("is abstract");
    }

    @Test
    void aClassWithoutANoArgumentConstructorIsAnError() {
        assertThatThrownBy(() -> plugins.interceptors(List.of(NoDefaultConstructor.class), CONFIGS))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("for configuration interceptor.classes")
                .hasMessageContaining("needs a public no-argument constructor");
    }

    @Test
    void aConstructorThatThrowsIsReportedWithItsCause() {
        assertThatThrownBy(() -> plugins.interceptors(List.of(ThrowingConstructor.class), CONFIGS))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("threw from its constructor")
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noPartitionerMeansTheBuiltInOne() {
        assertThat(plugins.partitioner(null, CONFIGS)).isNull();
    }

    @Test
    void aPartitionerGivenByNameIsCreatedAndConfigured() {
        Partitioner p = plugins.partitioner(RecordingPartitioner.class.getName(), CONFIGS);
        assertThat(p).isInstanceOf(RecordingPartitioner.class);
        assertThat(((RecordingPartitioner) p).configs).isEqualTo(CONFIGS);
    }

    @Test
    void interceptorsAreCreatedInOrderAndConfigured() {
        FirstInterceptor ready = new FirstInterceptor();
        List<ProducerInterceptor<?, ?>> list = plugins.interceptors(
                List.of(SecondInterceptor.class.getName(), ready, FirstInterceptor.class), CONFIGS);
        assertThat(list).hasSize(3);
        assertThat(list.get(0)).isInstanceOf(SecondInterceptor.class);
        assertThat(list.get(1)).isSameAs(ready);
        assertThat(list.get(2)).isExactlyInstanceOf(FirstInterceptor.class);
        assertThat(EVENTS).containsExactly("SecondInterceptor.configure x", "FirstInterceptor.configure x");
    }

    @Test
    void whenAnInterceptorFailsTheOnesAlreadyCreatedAreClosed() {
        assertThatThrownBy(() -> plugins.interceptors(
                List.of(FirstInterceptor.class, SecondInterceptor.class, FailingConfigureInterceptor.class), CONFIGS))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("failed in configure")
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(EVENTS).containsExactly("FirstInterceptor.configure x", "SecondInterceptor.configure x",
                "FailingConfigureInterceptor.close", "FirstInterceptor.close", "SecondInterceptor.close");
    }

    @Test
    void noInterceptorsGiveAnEmptyList() {
        assertThat(plugins.interceptors(List.of(), CONFIGS)).isEmpty();
        assertThat(plugins.interceptors(null, CONFIGS)).isEmpty();
    }

    @Test
    void instantiateDoesNotConfigure() {
        RecordingSerializer s = plugins.instantiate("key.serializer", RecordingSerializer.class, RecordingSerializer.class);
        assertThat(s.configs).isNull();
    }
}
