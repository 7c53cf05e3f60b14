package dev.courier.producer.internals.record;

import static dev.courier.producer.internals.record.GoldenBatches.bytes;
import static dev.courier.producer.internals.record.GoldenBatches.goldenRecords;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RecordBatchReaderTests {

    static List<Arguments> goldenBatches() {
        return List.of(
                Arguments.of("B1", GoldenBatches.B1, CompressionType.NONE, -1L, (short) -1, -1, false),
                Arguments.of("B2", GoldenBatches.B2, CompressionType.NONE, 1000L, (short) 0, 0, false),
                Arguments.of("B3", GoldenBatches.B3, CompressionType.NONE, 1000L, (short) 0, 0, true),
                Arguments.of("B4", GoldenBatches.B4, CompressionType.GZIP, -1L, (short) -1, -1, false),
                Arguments.of("B5", GoldenBatches.B5, CompressionType.SNAPPY, -1L, (short) -1, -1, false),
                Arguments.of("B6", GoldenBatches.B6, CompressionType.LZ4, -1L, (short) -1, -1, false),
                Arguments.of("B7", GoldenBatches.B7, CompressionType.ZSTD, -1L, (short) -1, -1, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenBatches")
    void decodesTheBatchesKafkaWrote(String name, String hex, CompressionType codec, long producerId, short epoch,
            int baseSequence, boolean transactional) {
        DecodedBatch batch = RecordBatchReader.read(bytes(hex));

        assertThat(batch.baseOffset()).isZero();
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(-1);
        assertThat(batch.magic()).isEqualTo((byte) 2);
        assertThat(batch.compressionType()).isEqualTo(codec);
        assertThat(batch.isTransactional()).isEqualTo(transactional);
        assertThat(batch.isControl()).isFalse();
        assertThat(batch.isLogAppendTime()).isFalse();
        assertThat(batch.lastOffsetDelta()).isEqualTo(1);
        assertThat(batch.baseTimestamp()).isEqualTo(GoldenBatches.TIMESTAMP_0);
        assertThat(batch.maxTimestamp()).isEqualTo(GoldenBatches.TIMESTAMP_1);
        assertThat(batch.producerId()).isEqualTo(producerId);
        assertThat(batch.producerEpoch()).isEqualTo(epoch);
        assertThat(batch.baseSequence()).isEqualTo(baseSequence);
        assertThat(batch.crc()).isEqualTo(HexFormat.fromHexDigits(hex.substring(34, 42)));
        assertThat(batch.records()).containsExactlyElementsOf(goldenRecords());
    }

    @Test
    void decodesTheCommitMarkerABrokerWrote() {
        DecodedBatch batch = RecordBatchReader.read(bytes(GoldenBatches.B8));

        assertThat(batch.baseOffset()).isEqualTo(42L);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(7);
        assertThat(batch.isControl()).isTrue();
        assertThat(batch.isTransactional()).isTrue();
        assertThat(batch.producerId()).isEqualTo(1000L);
        assertThat(batch.producerEpoch()).isZero();
        assertThat(batch.baseSequence()).isEqualTo(-1);
        assertThat(batch.records()).hasSize(1);
        DecodedRecord marker = batch.records().get(0);
        assertThat(marker.timestamp()).isEqualTo(1_700_000_000_100L);
        assertThat(marker.key()).containsExactly(0, 0, 0, 1); // version 0, type COMMIT
        assertThat(marker.value()).containsExactly(0, 0, 0, 0, 0, 5); // version 0, coordinatorEpoch 5
    }

    @Test
    void givesEveryRecordTheBrokersTimeInALogAppendTimeBatch() {
        ByteBuffer batch = bytes(GoldenBatches.B1);
        batch.putShort(21, (short) 0x0008);
        batch.putLong(35, 1_800_000_000_000L);
        batch.putInt(17, RecordBatchBuilder.computeCrc(batch, 0, batch.limit()));

        DecodedBatch decoded = RecordBatchReader.read(batch);

        assertThat(decoded.isLogAppendTime()).isTrue();
        assertThat(decoded.records()).extracting(DecodedRecord::timestamp).containsOnly(1_800_000_000_000L);
    }

    @Test
    void readsConsecutiveBatches() {
        ByteBuffer two = ByteBuffer.allocate(200);
        two.put(bytes(GoldenBatches.B1)).put(bytes(GoldenBatches.B2)).flip();

        List<DecodedBatch> batches = RecordBatchReader.readAll(two);

        assertThat(batches).extracting(DecodedBatch::producerId).containsExactly(-1L, 1000L);
        assertThat(two.position()).isZero();
    }

    @Test
    void rejectsABatchWhoseCrcDoesNotMatch() {
        ByteBuffer batch = bytes(GoldenBatches.B1);
        batch.put(99, (byte) 0x01); // last byte: header count of record 1

        assertThatThrownBy(() -> RecordBatchReader.read(batch))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("CRC");
    }

    @Test
    void rejectsATruncatedBatch() {
        ByteBuffer batch = bytes(GoldenBatches.B1).limit(99);

        assertThatThrownBy(() -> RecordBatchReader.read(batch)).isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void rejectsOtherMagicValues() {
        ByteBuffer batch = bytes(GoldenBatches.B1);
        batch.put(16, (byte) 1);

        assertThatThrownBy(() -> RecordBatchReader.read(batch))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("magic");
    }

    @Test
    void rejectsACorruptCompressedStreamWithAValidCrc() {
        ByteBuffer batch = bytes(GoldenBatches.B6);
        batch.put(61 + 6, (byte) 0x00); // frame descriptor checksum byte of the LZ4 header
        batch.putInt(17, RecordBatchBuilder.computeCrc(batch, 0, batch.limit()));

        assertThatThrownBy(() -> RecordBatchReader.read(batch))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("checksum");
    }
}
