package dev.courier.producer.internals.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteUtilsTests {

    private static final HexFormat HEX = HexFormat.of();

    /** The table in RECORD_BATCH.md. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"0, 00", "-1, 01", "1, 02", "5, 0a", "12, 18", "63, 7e", "-64, 7f", "64, 8001", "300, d804"})
    void encodesZigZagVarintsLikeTheSpecTable(int value, String hex) {
        ByteBuffer buffer = ByteBuffer.allocate(10);
        ByteUtils.writeVarint(value, buffer);
        buffer.flip();

        assertThat(HEX.formatHex(buffer.array(), 0, buffer.limit())).isEqualTo(hex);
        assertThat(ByteUtils.sizeOfVarint(value)).isEqualTo(hex.length() / 2);
        assertThat(ByteUtils.readVarint(buffer)).isEqualTo(value);
        assertThat(buffer.hasRemaining()).isFalse();

        ByteBuffer asLong = ByteBuffer.allocate(10);
        ByteUtils.writeVarlong(value, asLong);
        assertThat(HEX.formatHex(asLong.array(), 0, asLong.position())).isEqualTo(hex);
    }

    @Test
    void roundTripsVarintsVarlongsAndUnsignedVarintsAtTheirBoundaries() {
        int[] ints = {0, 1, -1, 63, -64, 64, -65, 8191, 8192, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 27, -(1 << 27)};
        long[] longs = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 55, -(1L << 55), 1L << 62, 1_700_000_000_000L};
        ByteBuffer buffer = ByteBuffer.allocate(16);
        for (int value : ints) {
            buffer.clear();
            ByteUtils.writeVarint(value, buffer);
            assertThat(buffer.position()).isEqualTo(ByteUtils.sizeOfVarint(value));
            buffer.flip();
            assertThat(ByteUtils.readVarint(buffer)).isEqualTo(value);

            buffer.clear();
            ByteUtils.writeUnsignedVarint(value, buffer);
            assertThat(buffer.position()).isEqualTo(ByteUtils.sizeOfUnsignedVarint(value));
            buffer.flip();
            assertThat(ByteUtils.readUnsignedVarint(buffer)).isEqualTo(value);
        }
        for (long value : longs) {
            buffer.clear();
            ByteUtils.writeVarlong(value, buffer);
            assertThat(buffer.position()).isEqualTo(ByteUtils.sizeOfVarlong(value));
            buffer.flip();
            assertThat(ByteUtils.readVarlong(buffer)).isEqualTo(value);
        }
    }

    @Test
    void writesTheSameBytesAsKafkaForRandomValues() {
        Random random = new Random(42);
        ByteBuffer ours = ByteBuffer.allocate(32);
        ByteBuffer theirs = ByteBuffer.allocate(32);
        for (int i = 0; i < 5000; i++) {
            int value = random.nextInt() >> random.nextInt(32);
            long wide = random.nextLong() >> random.nextInt(64);
            ours.clear();
            theirs.clear();
            ByteUtils.writeVarint(value, ours);
            ByteUtils.writeVarlong(wide, ours);
            ByteUtils.writeUnsignedVarint(value, ours);
            org.apache.kafka.common.utils.internals.ByteUtils.writeVarint(value, theirs);
            org.apache.kafka.common.utils.internals.ByteUtils.writeVarlong(wide, theirs);
            org.apache.kafka.common.utils.internals.ByteUtils.writeUnsignedVarint(value, theirs);
            assertThat(ours.flip()).isEqualTo(theirs.flip());
        }
    }

    @Test
    void encodesUnsignedVarintsWithoutZigZag() {
        ByteBuffer buffer = ByteBuffer.allocate(5);
        ByteUtils.writeUnsignedVarint(-1, buffer);
        assertThat(HEX.formatHex(buffer.array())).isEqualTo("ffffffff0f");
        assertThat(ByteUtils.sizeOfUnsignedVarint(-1)).isEqualTo(5);
        assertThat(ByteUtils.sizeOfUnsignedVarint(127)).isEqualTo(1);
        assertThat(ByteUtils.sizeOfUnsignedVarint(128)).isEqualTo(2);
    }

    @Test
    void rejectsVarintsLongerThanFiveBytesAndVarlongsLongerThanTen() {
        assertThatThrownBy(() -> ByteUtils.readVarint(ByteBuffer.wrap(HEX.parseHex("8080808080"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ByteUtils.readUnsignedVarint(ByteBuffer.wrap(HEX.parseHex("ffffffffff01"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ByteUtils.readVarlong(ByteBuffer.wrap(HEX.parseHex("8080808080808080808001"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesTheSameBytesAsKafkaForValuesOfEveryEncodedLength() {
        Random random = new Random(5);
        ByteBuffer ours = ByteBuffer.allocate(16);
        ByteBuffer kafka = ByteBuffer.allocate(16);
        for (int i = 0; i < 20_000; i++) {
            int bits = random.nextInt(64);
            long value = bits == 0 ? 0 : random.nextLong() >> (63 - bits);
            ours.clear();
            kafka.clear();
            ByteUtils.writeVarlong(value, ours);
            org.apache.kafka.common.utils.internals.ByteUtils.writeVarlong(value, kafka);
            assertThat(ours.flip()).isEqualTo(kafka.flip());

            int intValue = (int) value;
            ours.clear();
            kafka.clear();
            ByteUtils.writeVarint(intValue, ours);
            org.apache.kafka.common.utils.internals.ByteUtils.writeVarint(intValue, kafka);
            assertThat(ours.flip()).isEqualTo(kafka.flip());

            ours.clear();
            kafka.clear();
            ByteUtils.writeUnsignedVarint(intValue, ours);
            org.apache.kafka.common.utils.internals.ByteUtils.writeUnsignedVarint(intValue, kafka);
            assertThat(ours.flip()).isEqualTo(kafka.flip());
        }
    }
}
