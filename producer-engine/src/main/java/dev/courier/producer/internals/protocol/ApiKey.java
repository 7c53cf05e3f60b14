package dev.courier.producer.internals.protocol;

/**
 * The Kafka APIs this client speaks, with the range of versions it can encode and decode.
 *
 * <p>Ranges are deliberately limited to flexible versions (every 2.8+ broker supports them), except
 * ApiVersions, which must fall back to v0 when a broker rejects the version we asked for, and the
 * SASL APIs: SaslHandshake is never flexible (and only v1 is spoken: v0 means unframed tokens), and
 * SaslAuthenticate keeps v0-v1 for brokers that enable SASL but not flexible versions of it.
 */
public enum ApiKey {
    PRODUCE(0, 9, 13, 9),
    METADATA(3, 9, 13, 9),
    SASL_HANDSHAKE(17, 1, 1, Short.MAX_VALUE),
    API_VERSIONS(18, 0, 3, 3),
    INIT_PRODUCER_ID(22, 2, 5, 2),
    FIND_COORDINATOR(10, 3, 3, 3),
    ADD_PARTITIONS_TO_TXN(24, 3, 3, 3),
    ADD_OFFSETS_TO_TXN(25, 3, 4, 3),
    END_TXN(26, 3, 5, 3),
    TXN_OFFSET_COMMIT(28, 3, 5, 3),
    SASL_AUTHENTICATE(36, 0, 2, 2),
    DESCRIBE_TRANSACTIONS(65, 0, 0, 0);

    private static final ApiKey[] BY_ID;

    static {
        int max = 0;
        for (ApiKey key : values()) {
            max = Math.max(max, key.id);
        }
        BY_ID = new ApiKey[max + 1];
        for (ApiKey key : values()) {
            BY_ID[key.id] = key;
        }
    }

    public final short id;
    public final short oldestVersion;
    public final short latestVersion;
    private final short flexibleFrom;

    ApiKey(int id, int oldestVersion, int latestVersion, int flexibleFrom) {
        this.id = (short) id;
        this.oldestVersion = (short) oldestVersion;
        this.latestVersion = (short) latestVersion;
        this.flexibleFrom = (short) flexibleFrom;
    }

    /** Whether this version uses compact strings/arrays and tagged fields (KIP-482). */
    public boolean isFlexible(short version) {
        return version >= flexibleFrom;
    }

    /** Request header version: 2 for flexible API versions, else 1. */
    public short requestHeaderVersion(short version) {
        return isFlexible(version) ? (short) 2 : (short) 1;
    }

    /**
     * Response header version: 1 for flexible API versions, else 0. ApiVersions always answers with
     * header v0 so that a client can read it before knowing which versions the broker speaks.
     */
    public short responseHeaderVersion(short version) {
        if (this == API_VERSIONS) {
            return 0;
        }
        return isFlexible(version) ? (short) 1 : (short) 0;
    }

    /** Whether this client can encode and decode the given version. */
    public boolean isSupported(short version) {
        return version >= oldestVersion && version <= latestVersion;
    }

    /** The key with this wire id, or {@code null} when this client does not know it. */
    public static ApiKey forId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
