package dev.courier.producer.internals.protocol;

import static dev.courier.producer.internals.protocol.ProtocolTestSupport.hex;
import static dev.courier.producer.internals.protocol.ProtocolTestSupport.hexBuffer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Primitive encodings, tagged-field skipping and defences against malformed input. */
class WireTests {

    @Test
    void writesUnsignedVarintsLeastSignificantGroupFirst() {
        assertThat(varint(0)).isEqualTo("00");
        assertThat(varint(1)).isEqualTo("01");
        assertThat(varint(127)).isEqualTo("7f");
        assertThat(varint(128)).isEqualTo("8001");
        assertThat(varint(300)).isEqualTo("ac02");
        assertThat(varint(-1)).isEqualTo("ffffffff0f");
    }

    @Test
    void sizesVarintsExactlyAtEveryGroupBoundary() {
        int[] values = {0, 127, 128, 16383, 16384, 2097151, 2097152, 268435455, 268435456, Integer.MAX_VALUE, -1};
        for (int value : values) {
            ByteBuffer buf = ByteBuffer.allocate(5);
            Wire.writeUnsignedVarint(buf, value);
            assertThat(Wire.sizeOfUnsignedVarint(value)).as("%d", value).isEqualTo(buf.position());
            assertThat(WireReader.readUnsignedVarint(buf.flip())).isEqualTo(value);
        }
    }

    @Test
    void roundTripsCompactAndClassicStringsIncludingNull() {
        for (boolean flexible : new boolean[] {true, false}) {
            byte[] text = Wire.utf8("tëst");
            ByteBuffer buf = ByteBuffer.allocate(Wire.sizeOfString(text, flexible) + Wire.sizeOfString(null, flexible));
            Wire.writeString(buf, text, flexible);
            Wire.writeString(buf, null, flexible);
            assertThat(buf.hasRemaining()).isFalse();

            WireReader reader = new WireReader(buf.flip(), flexible);
            assertThat(reader.readNullableString()).isEqualTo("tëst");
            assertThat(reader.readNullableString()).isNull();
        }
    }

    @Test
    void skipsUnknownTaggedFieldsInAVersionOneResponseHeader() {
        // correlation id 7, two tagged fields (tag 0 size 2, tag 5 size 1), then one body byte
        ByteBuffer buf = hexBuffer("00000007" + "02" + "0002abcd" + "0501ee" + "99");

        assertThat(ResponseHeader.readCorrelationId(buf, (short) 1)).isEqualTo(7);
        assertThat(buf.get()).isEqualTo((byte) 0x99);
    }

    @Test
    void leavesAVersionZeroResponseHeaderBodyUntouched() {
        ByteBuffer buf = hexBuffer("0000000902");

        assertThat(ResponseHeader.readCorrelationId(buf, (short) 0)).isEqualTo(9);
        assertThat(buf.remaining()).isEqualTo(1);
    }

    @Test
    void rejectsAStringLengthBeyondTheBytesRemaining() {
        WireReader reader = new WireReader(ByteBuffer.wrap(hex("ff7f6162")), true);

        assertThatThrownBy(reader::readNullableString).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void rejectsAnArrayCountThatCannotFitInsteadOfAllocatingIt() {
        // compact array claiming 2^28 elements in a 6-byte buffer
        WireReader reader = new WireReader(ByteBuffer.wrap(hex("8080808001ff")), true);

        assertThatThrownBy(() -> reader.readArrayLength(4)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void rejectsVarintsLongerThanFiveBytes() {
        assertThatThrownBy(() -> WireReader.readUnsignedVarint(ByteBuffer.wrap(hex("ffffffffff01"))))
                .isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void reportsATruncatedResponseAsMalformed() {
        ByteBuffer truncated = ByteBuffer.wrap(hex("0000000400020574657374"));

        assertThatThrownBy(() -> ProduceResponse.parse(truncated, (short) 9))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("ProduceResponse v9");
    }

    private static String varint(int value) {
        ByteBuffer buf = ByteBuffer.allocate(5);
        Wire.writeUnsignedVarint(buf, value);
        return HexFormat.of().formatHex(buf.array(), 0, buf.position());
    }
}
