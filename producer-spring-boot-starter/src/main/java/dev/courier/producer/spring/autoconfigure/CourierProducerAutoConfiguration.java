package dev.courier.producer.spring.autoconfigure;

import dev.courier.producer.CourierProducer;
import dev.courier.producer.ProducerConfig;
import dev.courier.producer.errors.ConfigException;
import dev.courier.producer.serialization.Serializer;
import dev.courier.producer.serialization.StringSerializer;
import dev.courier.producer.spring.ManagedProducer;
import dev.courier.producer.spring.ProducerConfigCustomizer;
import dev.courier.producer.spring.ProducerListener;
import dev.courier.producer.spring.ProducerTemplate;
import dev.courier.producer.spring.SendObserver;
import dev.courier.producer.spring.json.JacksonValueSerializer;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportRuntimeHints;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires the Courier producer: a {@link ManagedProducer} built from {@code courier.producer.*} and a
 * {@link ProducerTemplate} over it. Every bean backs off when the application defines its own.
 *
 * <p>Serializers are beans named {@value #KEY_SERIALIZER_BEAN} and {@value #VALUE_SERIALIZER_BEAN}:
 * strings by default, JSON through the application's {@link JsonMapper} for values when there is one. The
 * {@code key-serializer} and {@code value-serializer} properties, when set, win over the beans.
 *
 * <p>Where to connect comes from the {@link CourierConnectionDetails} bean: the application's own (or a service
 * connection's) when there is one, else one read from the properties.
 */
@AutoConfiguration(afterName = {"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
        "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration"})
@ConditionalOnClass(CourierProducer.class)
@EnableConfigurationProperties(CourierProducerProperties.class)
@ImportRuntimeHints(CourierProducerRuntimeHints.class)
public final class CourierProducerAutoConfiguration {

    public static final String KEY_SERIALIZER_BEAN = "courierKeySerializer";
    public static final String VALUE_SERIALIZER_BEAN = "courierValueSerializer";

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JsonMapper.class)
    static class JacksonValueSerializerConfiguration {

        @Bean(VALUE_SERIALIZER_BEAN)
        @ConditionalOnBean(JsonMapper.class)
        @ConditionalOnMissingBean(name = VALUE_SERIALIZER_BEAN)
        JacksonValueSerializer<Object> courierValueSerializer(JsonMapper jsonMapper) {
            return new JacksonValueSerializer<>(jsonMapper);
        }
    }

    @Bean(KEY_SERIALIZER_BEAN)
    @ConditionalOnMissingBean(name = KEY_SERIALIZER_BEAN)
    StringSerializer courierKeySerializer() {
        return new StringSerializer();
    }

    @Bean(VALUE_SERIALIZER_BEAN)
    @ConditionalOnMissingBean(name = VALUE_SERIALIZER_BEAN)
    StringSerializer courierValueSerializer() {
        return new StringSerializer();
    }

    @Bean
    @ConditionalOnMissingBean(CourierConnectionDetails.class)
    PropertiesCourierConnectionDetails courierConnectionDetails(CourierProducerProperties properties) {
        return new PropertiesCourierConnectionDetails(properties);
    }

    @Bean
    @ConditionalOnMissingBean(ManagedProducer.class)
    @SuppressWarnings({"unchecked", "rawtypes"})
    ManagedProducer<?, ?> courierManagedProducer(CourierProducerProperties properties,
                                                 CourierConnectionDetails connectionDetails,
                                                 ObjectProvider<ProducerConfigCustomizer> customizers,
                                                 org.springframework.beans.factory.BeanFactory beanFactory,
                                                 ObjectProvider<SslBundles> sslBundles) {
        Map<String, Object> config = properties.buildProducerConfig();
        applyConnectionDetails(connectionDetails, config);
        SslBundleSupport.apply(connectionDetails, sslBundles::getIfAvailable, config);
        config.putIfAbsent(ProducerConfig.CLIENT_ID, "courier-" + UUID.randomUUID().toString().substring(0, 8));
        customizers.orderedStream().forEach(customizer -> customizer.customize(config));
        String clientId = String.valueOf(config.get(ProducerConfig.CLIENT_ID));
        Serializer keySerializer = config.containsKey(ProducerConfig.KEY_SERIALIZER) ? null
                : beanFactory.getBean(KEY_SERIALIZER_BEAN, Serializer.class);
        Serializer valueSerializer = config.containsKey(ProducerConfig.VALUE_SERIALIZER) ? null
                : beanFactory.getBean(VALUE_SERIALIZER_BEAN, Serializer.class);
        return new ManagedProducer<>(() -> {
            try {
                return new CourierProducer<>(config, keySerializer, valueSerializer);
            } catch (ConfigException e) {
                throw InvalidProducerConfigurationException.from(e, properties, config);
            }
        }, clientId, properties.getShutdown().getMode(), properties.getShutdown().getTimeout());
    }

    /**
     * Only what is set: a null security protocol leaves the engine's default (and any raw entry) alone. The
     * properties-backed details are already in {@code config} as written, which keeps error reports naming the
     * property that carried a bad value.
     */
    private static void applyConnectionDetails(CourierConnectionDetails details, Map<String, Object> config) {
        if (details instanceof PropertiesCourierConnectionDetails) {
            return;
        }
        if (details.getBootstrapServers() != null) {
            config.put(ProducerConfig.BOOTSTRAP_SERVERS, String.join(",", details.getBootstrapServers()));
        }
        if (details.getSecurityProtocol() != null) {
            config.put(ProducerConfig.SECURITY_PROTOCOL, details.getSecurityProtocol());
        }
    }

    @Bean
    @ConditionalOnMissingBean(ProducerTemplate.class)
    @SuppressWarnings({"unchecked", "rawtypes"})
    ProducerTemplate<?, ?> courierProducerTemplate(ManagedProducer<?, ?> producer, CourierProducerProperties properties,
                                                   ObjectProvider<ProducerListener<?, ?>> listener,
                                                   ObjectProvider<SendObserver> observers) {
        return new ProducerTemplate(producer, properties.getDefaultTopic(), listener.getIfUnique(),
                observers.orderedStream().toList());
    }
}
