package dev.courier.producer.internals.record;

import dev.courier.producer.ProducerConfig;
import dev.courier.producer.errors.ConfigException;

/**
 * The codecs a record batch can use; {@link #id} is the value of attribute bits 0-2.
 *
 * <p>snappy and zstd need optional libraries; {@link #ensureAvailable()} checks for them without
 * loading any codec class, so a producer that never uses them works without the jars.
 */
public enum CompressionType {
    NONE(0, "none", null, null),
    GZIP(1, "gzip", null, null),
    SNAPPY(2, "snappy", "org.xerial.snappy.Snappy", "org.xerial.snappy:snappy-java"),
    LZ4(3, "lz4", "net.jpountz.lz4.LZ4Factory", "at.yawk.lz4:lz4-java"),
    ZSTD(4, "zstd", "com.github.luben.zstd.Zstd", "com.github.luben:zstd-jni");

    private static final CompressionType[] BY_ID = values();

    /** Attribute bits 0-2 of a batch using this codec. */
    public final byte id;
    /** The value of {@code compression.type} naming this codec. */
    public final String configName;
    private final String probeClass;
    private final String artifact;

    CompressionType(int id, String configName, String probeClass, String artifact) {
        this.id = (byte) id;
        this.configName = configName;
        this.probeClass = probeClass;
        this.artifact = artifact;
    }

    /**
     * The codec named by a {@code compression.type} value (exact lower-case name, as Kafka accepts).
     *
     * @throws ConfigException for any other name
     */
    public static CompressionType forName(String name) {
        for (CompressionType type : BY_ID) {
            if (type.configName.equals(name)) {
                return type;
            }
        }
        throw new ConfigException(ProducerConfig.COMPRESSION_TYPE, name, "one of none, gzip, snappy, lz4, zstd");
    }

    /**
     * The codec with this attribute id.
     *
     * @throws IllegalArgumentException for ids outside 0-4
     */
    public static CompressionType forId(int id) {
        if (id < 0 || id >= BY_ID.length) {
            throw new IllegalArgumentException("Unknown compression type id " + id);
        }
        return BY_ID[id];
    }

    /**
     * Checks that the codec's library is on the classpath and initializes it (snappy-java and zstd-jni
     * load their native code here), so a broken setup fails at configuration time, not on the sender.
     *
     * @throws ConfigException (key {@code compression.type}) naming the missing Maven artifact, or the
     *     load failure as its cause
     */
    public void ensureAvailable() {
        if (probeClass == null) {
            return;
        }
        try {
            Class.forName(probeClass, true, CompressionType.class.getClassLoader());
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new ConfigException(ProducerConfig.COMPRESSION_TYPE, configName,
                    "the " + configName + " codec needs " + artifact + " on the classpath");
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            ConfigException failure = new ConfigException(ProducerConfig.COMPRESSION_TYPE, configName,
                    "the " + configName + " codec library (" + artifact + ") failed to load: " + e);
            failure.initCause(e);
            throw failure;
        }
    }

    @Override
    public String toString() {
        return configName;
    }
}
