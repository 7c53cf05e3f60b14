package dev.courier.producer.internals.protocol;

import dev.courier.producer.errors.UnsupportedVersionException;
import java.nio.ByteBuffer;

/**
 * Request header v1 (non-flexible API versions) or v2 (flexible): api key, api version,
 * correlation id, client id. The client id is always an int16-length nullable string, even in v2,
 * which only adds an (empty) tagged-field section.
 */
public record RequestHeader(ApiKey apiKey, short apiVersion, int correlationId, String clientId) {

    public RequestHeader {
        if (apiKey == null) {
            throw new IllegalArgumentException("apiKey is required");
        }
    }

    /** Header version used for this header's API version. */
    public short headerVersion() {
        return apiKey.requestHeaderVersion(apiVersion);
    }

    /**
     * Allocates a heap buffer for a whole frame whose header is this one and whose non-separate body
     * part is {@code bodySize} bytes, and writes the int32 frame size and the header into it.
     *
     * @param bodySize    bytes of the body written into the returned buffer
     * @param extraBytes  body bytes carried in separate buffers (e.g. record batches); they count
     *                    in the frame size but are not allocated here
     */
    ByteBuffer allocateFrame(int bodySize, long extraBytes) {
        byte[] clientIdBytes = Wire.utf8(clientId);
        boolean v2 = headerVersion() >= 2;
        int headerSize = 2 + 2 + 4 + Wire.sizeOfString(clientIdBytes, false) + (v2 ? 1 : 0);
        long frameSize = (long) headerSize + bodySize + extraBytes;
        if (frameSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Request of " + frameSize + " bytes is too large to frame");
        }
        ByteBuffer buf = ByteBuffer.allocate(4 + headerSize + bodySize);
        buf.putInt((int) frameSize);
        buf.putShort(apiKey.id);
        buf.putShort(apiVersion);
        buf.putInt(correlationId);
        Wire.writeString(buf, clientIdBytes, false);
        if (v2) {
            buf.put(Wire.EMPTY_TAGGED_FIELDS);
        }
        return buf;
    }

    /**
     * Checks that this header can frame a body of the given key whose highest usable version is
     * {@code maxUsableVersion}.
     */
    void checkCanFrame(ApiKey bodyKey, short maxUsableVersion) {
        if (bodyKey != apiKey) {
            throw new IllegalArgumentException("Header for " + apiKey + " used to frame a " + bodyKey + " body");
        }
        if (!apiKey.isSupported(apiVersion) || apiVersion > maxUsableVersion) {
            throw new UnsupportedVersionException("Cannot write " + apiKey + " v" + apiVersion + " (this request supports v"
                    + apiKey.oldestVersion + " to v" + Math.min(apiKey.latestVersion, maxUsableVersion) + ")");
        }
    }
}
