package dev.courier.producer.internals.protocol;

import java.nio.ByteBuffer;

/**
 * ApiVersionsRequest (key 18). v0-v2 have an empty body; v3 sends the client software name and
 * version as compact strings. Brokers validate both against
 * {@code [a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?} and answer INVALID_REQUEST otherwise, so callers
 * should pass sanitised values.
 */
public record ApiVersionsRequest(String clientSoftwareName, String clientSoftwareVersion) implements RequestBody {

    @Override
    public ApiKey apiKey() {
        return ApiKey.API_VERSIONS;
    }

    @Override
    public ByteBuffer[] toFrame(RequestHeader header) {
        header.checkCanFrame(ApiKey.API_VERSIONS, maxUsableVersion());
        short version = header.apiVersion();
        if (version < 3) {
            ByteBuffer buf = header.allocateFrame(0, 0);
            return new ByteBuffer[] {buf.flip()};
        }
        byte[] name = Wire.utf8(nonNull(clientSoftwareName));
        byte[] softwareVersion = Wire.utf8(nonNull(clientSoftwareVersion));
        int size = Wire.sizeOfString(name, true) + Wire.sizeOfString(softwareVersion, true) + 1;
        ByteBuffer buf = header.allocateFrame(size, 0);
        Wire.writeString(buf, name, true);
        Wire.writeString(buf, softwareVersion, true);
        buf.put(Wire.EMPTY_TAGGED_FIELDS);
        return new ByteBuffer[] {buf.flip()};
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
