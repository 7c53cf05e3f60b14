package dev.courier.producer.internals.record;

import java.nio.ByteBuffer;

/**
 * UTF-8 length and encoding of header keys without allocating a byte array per header.
 *
 * <p>Produces exactly what {@code String.getBytes(UTF_8)} produces, including its replacement of an
 * unpaired surrogate by {@code '?'}, so sizes computed here always match the bytes written.
 */
final class Utf8 {

    private Utf8() {
    }

    /** Number of bytes {@link #write} emits for {@code s}. */
    static int encodedLength(String s) {
        int length = s.length();
        int bytes = length;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 2; // 2 chars -> 4 bytes
                i++;
            } else if (Character.isSurrogate(c)) {
                // unpaired surrogate -> '?', one byte, already counted
            } else {
                bytes += 2;
            }
        }
        return bytes;
    }

    /** Writes {@code s} as UTF-8 at the buffer's position. */
    static void write(String s, ByteBuffer buffer) {
        int length = s.length();
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                buffer.put((byte) c);
            } else if (c < 0x800) {
                buffer.put((byte) (0xC0 | (c >> 6)));
                buffer.put((byte) (0x80 | (c & 0x3F)));
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                buffer.put((byte) (0xF0 | (cp >> 18)));
                buffer.put((byte) (0x80 | ((cp >> 12) & 0x3F)));
                buffer.put((byte) (0x80 | ((cp >> 6) & 0x3F)));
                buffer.put((byte) (0x80 | (cp & 0x3F)));
            } else if (Character.isSurrogate(c)) {
                buffer.put((byte) '?');
            } else {
                buffer.put((byte) (0xE0 | (c >> 12)));
                buffer.put((byte) (0x80 | ((c >> 6) & 0x3F)));
                buffer.put((byte) (0x80 | (c & 0x3F)));
            }
        }
    }
}
