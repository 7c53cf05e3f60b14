package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;

/** A request body that can be framed at a chosen version. */
public interface RequestBody {

    ApiKey apiKey();

    /** Highest version this particular body can be written at (e.g. Produce v13 needs topic ids). */
    default short maxUsableVersion() {
        return apiKey().latestVersion;
    }

    /**
     * The complete frame: int32 size, header (version per header.apiVersion()), body. Buffers are
     * ready for a gathering write; large payloads (record batches) are returned as separate buffers
     * WITHOUT copying (duplicate()/slice(); the caller's buffer positions never move, because a
     * request may be framed again for a retry).
     *
     * @throws dev.courier.producer.errors.UnsupportedVersionException when the header's version is
     *         outside what this client or this body supports
     */
    ByteBuffer[] toFrame(RequestHeader header);
}
