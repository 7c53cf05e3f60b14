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
import dev.courier.producer.spring.TemplateTransactions;
import dev.courier.producer.spring.transaction.CourierTransactionManager;
import dev.courier.producer.spring.transaction.TransactionalProducerPool;
import dev.courier.producer.spring.transaction.TransactionalProducers;
import java.time.Duration;
import dev.courier.producer.spring.json.JacksonValueSerializer;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.transaction.PlatformTransactionManager;
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
        ProducerRecipe recipe = ProducerRecipe.resolve(properties, connectionDetails, customizers, beanFactory,
                sslBundles);
        return new ManagedProducer<>(() -> recipe.create(Map.of()), recipe.clientId(),
                properties.getShutdown().getMode(), properties.getShutdown().getTimeout());
    }

    /** The resolved configuration and serializers every producer of the application is created from. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    record ProducerRecipe(CourierProducerProperties properties, Map<String, Object> config, Serializer keySerializer,
                          Serializer valueSerializer) {

        static ProducerRecipe resolve(CourierProducerProperties properties, CourierConnectionDetails connectionDetails,
                                      ObjectProvider<ProducerConfigCustomizer> customizers,
                                      org.springframework.beans.factory.BeanFactory beanFactory,
                                      ObjectProvider<SslBundles> sslBundles) {
            Map<String, Object> config = properties.buildProducerConfig();
            applyConnectionDetails(connectionDetails, config);
            SslBundleSupport.apply(connectionDetails, sslBundles::getIfAvailable, config);
            config.putIfAbsent(ProducerConfig.CLIENT_ID, "courier-" + UUID.randomUUID().toString().substring(0, 8));
            customizers.orderedStream().forEach(customizer -> customizer.customize(config));
            Serializer keySerializer = config.containsKey(ProducerConfig.KEY_SERIALIZER) ? null
                    : beanFactory.getBean(KEY_SERIALIZER_BEAN, Serializer.class);
            Serializer valueSerializer = config.containsKey(ProducerConfig.VALUE_SERIALIZER) ? null
                    : beanFactory.getBean(VALUE_SERIALIZER_BEAN, Serializer.class);
            return new ProducerRecipe(properties, config, keySerializer, valueSerializer);
        }

        String clientId() {
            return String.valueOf(config.get(ProducerConfig.CLIENT_ID));
        }

        /** A producer from the configuration with {@code overrides} on top. */
        CourierProducer<Object, Object> create(Map<String, Object> overrides) {
            Map<String, Object> effective = with(overrides);
            try {
                return new CourierProducer<>(effective, keySerializer, valueSerializer);
            } catch (ConfigException e) {
                throw InvalidProducerConfigurationException.from(e, properties, effective);
            }
        }

        /**
         * Checks the configuration with {@code overrides} without creating a producer, so producers created
         * later (the transactional pool's, on demand) cannot fail startup's promise of a valid configuration.
         */
        void validate(Map<String, Object> overrides) {
            Map<String, Object> effective = with(overrides);
            try {
                dev.courier.producer.internals.config.ProducerSettings.from(effective);
            } catch (ConfigException e) {
                throw InvalidProducerConfigurationException.from(e, properties, effective);
            }
        }

        private Map<String, Object> with(Map<String, Object> overrides) {
            if (overrides.isEmpty()) {
                return config;
            }
            Map<String, Object> effective = new java.util.HashMap<>(config);
            effective.putAll(overrides);
            return effective;
        }
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
                                                   ObjectProvider<SendObserver> observers,
                                                   ObjectProvider<TemplateTransactions<?, ?>> transactions) {
        return new ProducerTemplate(producer, properties.getDefaultTopic(), listener.getIfUnique(),
                observers.orderedStream().toList(), transactions.getIfAvailable());
    }

    /**
     * Transactions, when {@code courier.producer.transaction-id-prefix} is set: the pool of transactional
     * producers, what the template sends through, and a {@link CourierTransactionManager}.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(PlatformTransactionManager.class)
    @ConditionalOnProperty(prefix = "courier.producer", name = "transaction-id-prefix")
    static class TransactionConfiguration {

        @Bean
        @ConditionalOnMissingBean(TransactionalProducerPool.class)
        @SuppressWarnings({"unchecked", "rawtypes"})
        TransactionalProducerPool<?, ?> courierTransactionalProducerPool(
                CourierProducerProperties properties, CourierConnectionDetails connectionDetails,
                ObjectProvider<ProducerConfigCustomizer> customizers,
                org.springframework.beans.factory.BeanFactory beanFactory, ObjectProvider<SslBundles> sslBundles) {
            ProducerRecipe recipe = ProducerRecipe.resolve(properties, connectionDetails, customizers, beanFactory,
                    sslBundles);
            Object maxBlock = recipe.config().get(ProducerConfig.MAX_BLOCK_MS);
            Duration maxBlockDuration = maxBlock == null ? Duration.ofMinutes(1)
                    : Duration.ofMillis(Long.parseLong(String.valueOf(maxBlock)));
            // Producers are created on demand: check their configuration now, so a bad one fails startup.
            recipe.validate(Map.of(ProducerConfig.TRANSACTIONAL_ID, properties.getTransactionIdPrefix() + "0"));
            return new TransactionalProducerPool(id -> recipe.create(Map.of(ProducerConfig.TRANSACTIONAL_ID, id,
                    ProducerConfig.CLIENT_ID, recipe.clientId() + "-" + id)),
                    properties.getTransactionIdPrefix(), properties.getTransactionPoolSize(),
                    properties.getTransactionProducerMaxAge(), maxBlockDuration,
                    properties.getShutdown().getMode(), properties.getShutdown().getTimeout());
        }

        @Bean
        @ConditionalOnMissingBean(TemplateTransactions.class)
        @SuppressWarnings({"unchecked", "rawtypes"})
        TransactionalProducers<?, ?> courierTemplateTransactions(TransactionalProducerPool<?, ?> pool,
                                                                 ManagedProducer<?, ?> producer,
                                                                 CourierProducerProperties properties) {
            return new TransactionalProducers(pool, properties.isAllowNonTransactional() ? producer : null);
        }

        @Bean
        @ConditionalOnMissingBean(CourierTransactionManager.class)
        CourierTransactionManager courierTransactionManager(TransactionalProducerPool<?, ?> pool) {
            return new CourierTransactionManager(pool);
        }
    }
}
