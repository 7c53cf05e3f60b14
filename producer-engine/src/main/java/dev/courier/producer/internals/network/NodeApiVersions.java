package dev.courier.producer.internals.network;

import dev.courier.producer.errors.UnsupportedVersionException;
import dev.courier.producer.internals.protocol.ApiKey;
import dev.courier.producer.internals.protocol.ApiVersionsResponse;

/**
 * What one connection negotiated: for each API this client knows, the version range both sides
 * speak. Immutable; replaced on every reconnect.
 */
public final class NodeApiVersions {

    private final ApiVersionsResponse response;
    private final short[] minVersions = new short[ApiKey.values().length];
    private final short[] maxVersions = new short[ApiKey.values().length];

    public NodeApiVersions(ApiVersionsResponse response) {
        this.response = response;
        for (ApiKey key : ApiKey.values()) {
            ApiVersionsResponse.ApiVersion broker = response.find(key);
            if (broker == null) {
                minVersions[key.ordinal()] = -1;
                maxVersions[key.ordinal()] = -1;
            } else {
                minVersions[key.ordinal()] = (short) Math.max(broker.minVersion(), key.oldestVersion);
                maxVersions[key.ordinal()] = (short) Math.min(broker.maxVersion(), key.latestVersion);
            }
        }
    }

    /** True when the broker speaks at least one version of the API that this client does. */
    public boolean isSupported(ApiKey key) {
        short max = maxVersions[key.ordinal()];
        return max >= 0 && max >= minVersions[key.ordinal()];
    }

    /**
     * Highest version both sides speak, at most {@code bodyMaxVersion}.
     *
     * @throws UnsupportedVersionException when there is none
     */
    public short usableVersion(ApiKey key, short bodyMaxVersion) {
        short min = minVersions[key.ordinal()];
        short max = (short) Math.min(maxVersions[key.ordinal()], bodyMaxVersion);
        if (maxVersions[key.ordinal()] < 0 || max < min) {
            ApiVersionsResponse.ApiVersion broker = response.find(key);
            throw new UnsupportedVersionException("The broker does not support " + key + " in a version this request"
                    + " can use (client v" + key.oldestVersion + "-v" + Math.min(key.latestVersion, bodyMaxVersion)
                    + ", broker " + (broker == null ? "none" : "v" + broker.minVersion() + "-v" + broker.maxVersion())
                    + ")");
        }
        return max;
    }

    /** Highest version both sides speak. */
    public short latestUsableVersion(ApiKey key) {
        return usableVersion(key, key.latestVersion);
    }

    /** The broker's full answer (e.g. finalized features for transaction.version). */
    public ApiVersionsResponse response() {
        return response;
    }
}
