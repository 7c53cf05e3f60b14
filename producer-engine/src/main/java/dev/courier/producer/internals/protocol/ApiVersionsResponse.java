package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * ApiVersionsResponse (key 18), versions 0-3. Always preceded by response header v0.
 *
 * <p>Besides the three fields every client needs, the flexible versions' tagged
 * {@code FinalizedFeaturesEpoch} (tag 1) and {@code FinalizedFeatures} (tag 2) are kept: a
 * transactional producer reads {@code transaction.version} from them. Other tags are skipped.
 *
 * @param finalizedFeaturesEpoch -1 when absent (non-flexible versions, or the broker sent none)
 */
public record ApiVersionsResponse(short errorCode, List<ApiVersion> apiKeys, int throttleTimeMs,
                                  long finalizedFeaturesEpoch, List<FinalizedFeature> finalizedFeatures) {

    /** The error code a broker answers with, in a v0 body, when it does not speak our version. */
    public static final short UNSUPPORTED_VERSION = 35;

    public record ApiVersion(short apiKey, short minVersion, short maxVersion) {
    }

    public record FinalizedFeature(String name, short maxVersionLevel, short minVersionLevel) {
    }

    /** A response without finalized features (what non-flexible versions carry). */
    public ApiVersionsResponse(short errorCode, List<ApiVersion> apiKeys, int throttleTimeMs) {
        this(errorCode, apiKeys, throttleTimeMs, -1L, List.of());
    }

    /** The broker's range for this API, or null when the broker does not list it. */
    public ApiVersion find(ApiKey key) {
        for (ApiVersion v : apiKeys) {
            if (v.apiKey() == key.id) {
                return v;
            }
        }
        return null;
    }

    /** Finalized max version level of a cluster feature (e.g. "transaction.version"), or -1 if absent. */
    public short finalizedFeatureLevel(String featureName) {
        for (FinalizedFeature f : finalizedFeatures) {
            if (f.name().equals(featureName)) {
                return f.maxVersionLevel();
            }
        }
        return -1;
    }

    /**
     * Parses a body. A broker that does not support the requested version answers
     * UNSUPPORTED_VERSION in v0 format whatever version was asked, so, like Kafka, this first tries
     * the requested version and re-reads the body as v0 when that fails or yields error 35.
     */
    public static ApiVersionsResponse parse(ByteBuffer body, short version) {
        Responses.checkSupported(ApiKey.API_VERSIONS, version);
        int start = body.position();
        if (version != 0) {
            try {
                ApiVersionsResponse response = read(body, version);
                if (response.errorCode() != UNSUPPORTED_VERSION) {
                    return response;
                }
            } catch (RuntimeException e) {
                // Fall through: the body may be a v0 error answer.
            }
            body.position(start);
        }
        try {
            return read(body, (short) 0);
        } catch (RuntimeException e) {
            throw Responses.malformed("ApiVersionsResponse v" + version, e);
        }
    }

    private static ApiVersionsResponse read(ByteBuffer body, short version) {
        WireReader r = new WireReader(body, ApiKey.API_VERSIONS.isFlexible(version));
        short errorCode = r.readInt16();
        int count = r.readNonNullArrayLength(r.flexible() ? 7 : 6, "ApiKeys");
        List<ApiVersion> apiKeys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            apiKeys.add(new ApiVersion(r.readInt16(), r.readInt16(), r.readInt16()));
            r.skipTaggedFields();
        }
        int throttleTimeMs = version >= 1 ? r.readInt32() : 0;
        FeatureTags tags = new FeatureTags();
        r.readTaggedFields(tags);
        return new ApiVersionsResponse(errorCode, Collections.unmodifiableList(apiKeys), throttleTimeMs,
                tags.epoch, tags.features);
    }

    /** Collects the finalized-feature tags of a flexible body. */
    private static final class FeatureTags implements WireReader.TagVisitor {
        long epoch = -1L;
        List<FinalizedFeature> features = List.of();

        @Override
        public void visit(int tag, WireReader r) {
            if (tag == 1) {
                epoch = r.readInt64();
            } else if (tag == 2) {
                int count = r.readNonNullArrayLength(6, "FinalizedFeatures");
                List<FinalizedFeature> list = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    list.add(new FinalizedFeature(r.readString("Name"), r.readInt16(), r.readInt16()));
                    r.skipTaggedFields();
                }
                features = Collections.unmodifiableList(list);
            }
        }
    }
}
