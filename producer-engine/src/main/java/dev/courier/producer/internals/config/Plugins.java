package dev.courier.producer.internals.config;

import dev.courier.producer.Partitioner;
import dev.courier.producer.ProducerConfig;
import dev.courier.producer.ProducerEventListener;
import dev.courier.producer.ProducerInterceptor;
import dev.courier.producer.errors.ConfigException;
import dev.courier.producer.serialization.Serializer;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns plug-in settings (serializers, partitioner, interceptors, event listeners) into instances. Each may be given as
 * a {@link Class}, a class name or a ready instance. Instances this class creates are configured with
 * the producer's configuration; instances handed in ready-made are used as they are (the caller
 * built them and configures them, as with Kafka's producer constructor).
 *
 * <p>Stateless apart from the class loader; thread-safe.
 */
public final class Plugins {

    private static final Logger log = LoggerFactory.getLogger(Plugins.class);

    private static final String KAFKA_SERIALIZATION_PACKAGE = "org.apache.kafka.common.serialization.";
    private static final String COURIER_SERIALIZATION_PACKAGE = "dev.courier.producer.serialization.";

    private final ClassLoader classLoader;

    /** Loads classes from the thread's context class loader, or this library's loader when there is none. */
    public Plugins() {
        this(defaultClassLoader());
    }

    public Plugins(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /**
     * The key or value serializer.
     *
     * @throws ConfigException when {@code spec} is missing, cannot be loaded or is not a Serializer
     */
    public Serializer<?> serializer(Object spec, Map<String, ?> configs, boolean isKey) {
        String key = isKey ? ProducerConfig.KEY_SERIALIZER : ProducerConfig.VALUE_SERIALIZER;
        if (spec == null) {
            throw new ConfigException(key, null,
                    "a Serializer is required: a class, a class name or an instance implementing " + Serializer.class.getName());
        }
        Created<Serializer<?>> created = create(key, spec, castClass(Serializer.class));
        if (created.fresh()) {
            Serializer<?> serializer = created.instance();
            configure(key, spec, serializer, () -> serializer.configure(configs, isKey));
        }
        return created.instance();
    }

    /** The custom partitioner, or null when {@code spec} is null (the built-in logic applies). */
    public Partitioner partitioner(Object spec, Map<String, ?> configs) {
        if (spec == null) {
            return null;
        }
        String key = ProducerConfig.PARTITIONER_CLASS;
        Created<Partitioner> created = create(key, spec, Partitioner.class);
        if (created.fresh()) {
            configure(key, spec, created.instance(), () -> created.instance().configure(configs));
        }
        return created.instance();
    }

    /**
     * The interceptors in the order given. If one fails, the ones already created are closed before the
     * exception propagates.
     */
    public List<ProducerInterceptor<?, ?>> interceptors(List<Object> specs, Map<String, ?> configs) {
        return configuredList(ProducerConfig.INTERCEPTOR_CLASSES, specs, castClass(ProducerInterceptor.class),
                interceptor -> interceptor.configure(configs));
    }

    /** The event listeners in the order given; closed again, as interceptors are, if one fails. */
    public List<ProducerEventListener> eventListeners(List<Object> specs, Map<String, ?> configs) {
        return configuredList(ProducerConfig.EVENT_LISTENERS, specs, ProducerEventListener.class,
                listener -> listener.configure(configs));
    }

    private <T extends AutoCloseable> List<T> configuredList(String key, List<Object> specs, Class<T> type,
                                                             Consumer<T> configure) {
        if (specs == null || specs.isEmpty()) {
            return List.of();
        }
        List<T> out = new ArrayList<>(specs.size());
        try {
            for (Object spec : specs) {
                Created<T> created = create(key, spec, type);
                T plugin = created.instance();
                if (created.fresh()) {
                    configure(key, spec, plugin, () -> configure.accept(plugin));
                }
                out.add(plugin);
            }
        } catch (RuntimeException e) {
            for (T plugin : out) {
                closeQuietly(plugin);
            }
            throw e;
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * An instance of {@code type} from a Class, class name or instance, without configuring it.
     *
     * @throws ConfigException naming {@code key} when it cannot be loaded, has no public no-argument
     *                         constructor, fails to construct or is not a {@code type}
     */
    public <T> T instantiate(String key, Object spec, Class<T> type) {
        return create(key, spec, type).instance();
    }

    private <T> Created<T> create(String key, Object spec, Class<T> type) {
        if (spec == null) {
            throw new ConfigException(key, null, "must name a class implementing " + type.getName());
        }
        if (spec instanceof Class<?> c) {
            return new Created<>(newInstance(key, spec, c, type), true);
        }
        if (spec instanceof String name) {
            return new Created<>(newInstance(key, spec, load(key, name.trim(), type), type), true);
        }
        if (type.isInstance(spec)) {
            return new Created<>(type.cast(spec), false);
        }
        throw new ConfigException(key, spec, wrongType(type, spec.getClass()));
    }

    private Class<?> load(String key, String name, Class<?> type) {
        try {
            return Class.forName(name, true, classLoader);
        } catch (ClassNotFoundException | LinkageError e) {
            ConfigException failure = new ConfigException(key, name,
                    "class " + name + " could not be loaded; it must be on the classpath and implement " + type.getName());
            failure.initCause(e);
            throw failure;
        }
    }

    private static <T> T newInstance(String key, Object spec, Class<?> c, Class<T> type) {
        if (!type.isAssignableFrom(c)) {
            throw new ConfigException(key, spec, wrongType(type, c));
        }
        if (c.isInterface() || Modifier.isAbstract(c.getModifiers())) {
            throw new ConfigException(key, spec, c.getName() + " is abstract; name a concrete class implementing " + type.getName());
        }
        Constructor<?> constructor;
        try {
            constructor = c.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new ConfigException(key, spec, c.getName() + " needs a public no-argument constructor");
        }
        try {
            return type.cast(constructor.newInstance());
        } catch (InvocationTargetException e) {
            throw failed(key, spec, c.getName() + " threw from its constructor: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw failed(key, spec, c.getName() + " could not be instantiated: " + e, e);
        }
    }

    private static String wrongType(Class<?> type, Class<?> actual) {
        StringBuilder sb = new StringBuilder("must implement ").append(type.getName())
                .append(", but ").append(actual.getName()).append(" does not");
        if (actual.getName().startsWith(KAFKA_SERIALIZATION_PACKAGE)) {
            String simple = actual.getName().substring(KAFKA_SERIALIZATION_PACKAGE.length());
            sb.append(" (Kafka's serializers are not Courier serializers; use ")
                    .append(COURIER_SERIALIZATION_PACKAGE).append(simple).append(" or your own)");
        }
        return sb.toString();
    }

    private static void configure(String key, Object spec, Object plugin, Runnable configure) {
        try {
            configure.run();
        } catch (RuntimeException e) {
            if (plugin instanceof AutoCloseable closeable) {
                closeQuietly(closeable);
            }
            throw failed(key, spec, plugin.getClass().getName() + " failed in configure: " + e, e);
        }
    }

    private static ConfigException failed(String key, Object spec, String allowed, Throwable cause) {
        ConfigException failure = new ConfigException(key, spec, allowed);
        failure.initCause(cause);
        return failure;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("Failed to close {} after a configuration error", closeable.getClass().getName(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> Class<T> castClass(Class<?> raw) {
        return (Class<T>) raw;
    }

    private static ClassLoader defaultClassLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : Plugins.class.getClassLoader();
    }

    /** An instance and whether this class created it (and so must configure it). */
    private record Created<T>(T instance, boolean fresh) {
    }
}
