package dev.courier.producer.internals.record;

import static dev.courier.producer.internals.record.GoldenBatches.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.Header;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every codec and several record shapes through our builder and reader, and through kafka-clients' own
 * decoder (the code a broker runs to validate a batch).
 */
class CompressionRoundTripTests {

    private static final long T0 = 1_700_000_000_000L;
    private static final int ONE_MIB = 1024 * 1024;

    static List<Arguments> codecsAndShapes() {
        List<Arguments> arguments = new ArrayList<>();
        for (CompressionType type : CompressionType.values()) {
            for (String shape : List.of("golden", "empty values", "nulls", "null header values",
                    "negative timestamp deltas", "many small records", "1 MiB random", "1 MiB repetitive")) {
                arguments.add(Arguments.of(type, shape));
            }
        }
        return arguments;
    }

    static List<Arguments> nonDefaultLevels() {
        return List.of(
                Arguments.of(CompressionType.GZIP, 1), Arguments.of(CompressionType.GZIP, 9),
                Arguments.of(CompressionType.LZ4, 1), Arguments.of(CompressionType.LZ4, 17),
                Arguments.of(CompressionType.ZSTD, -5), Arguments.of(CompressionType.ZSTD, 19));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("codecsAndShapes")
    void roundTripsThroughOurReaderAndKafkasDecoder(CompressionType type, String shape) {
        List<DecodedRecord> records = shape(shape);
        try (Compression compression = Compression.of(type)) {
            ByteBuffer batch = build(compression, records, 17L, (short) 3, 100);

            assertDecodes(batch, type, records);
        }
    }

    @ParameterizedTest(name = "{0} level {1}")
    @MethodSource("nonDefaultLevels")
    void roundTripsAtNonDefaultLevels(CompressionType type, int level) {
        List<DecodedRecord> records = shape("many small records");
        try (Compression compression = Compression.of(type, level)) {
            ByteBuffer batch = build(compression, records, -1L, (short) -1, -1);

            assertDecodes(batch, type, records);
            assertThat(batch.limit()).isLessThan(sizeOfUncompressed(records));
        }
    }

    @Test
    void reusesOneCompressionForBatchesOfDifferentSizes() {
        for (CompressionType type : CompressionType.values()) {
            try (Compression compression = Compression.of(type)) {
                for (String shape : List.of("1 MiB repetitive", "golden", "many small records", "nulls")) {
                    List<DecodedRecord> records = shape(shape);
                    assertDecodes(build(compression, records, -1L, (short) -1, -1), type, records);
                }
            }
        }
    }

    @Test
    void compressesRecordsHeldInADirectBuffer() {
        List<DecodedRecord> records = shape("many small records");
        for (CompressionType type : CompressionType.values()) {
            try (Compression compression = Compression.of(type)) {
                ByteBuffer direct = ByteBuffer.allocateDirect(sizeOfUncompressed(records) + 64);
                RecordBatchBuilder builder = new RecordBatchBuilder(direct, compression);
                records.forEach(r -> builder.append(r.timestamp(), r.key(), r.value(), r.headers()));

                assertDecodes(builder.close(), type, records);
            }
        }
    }

    @Test
    void writesKafkasStreamHeadersForEachCodec() {
        assertThat(streamPrefix(CompressionType.GZIP, 10)).isEqualTo("1f8b08000000000000ff");
        assertThat(streamPrefix(CompressionType.SNAPPY, 16)).isEqualTo("82534e415050590000000001" + "00000001");
        assertThat(streamPrefix(CompressionType.LZ4, 7)).isEqualTo("04224d18604082");
        assertThat(streamPrefix(CompressionType.ZSTD, 4)).isEqualTo("28b52ffd");
    }

    @Test
    void writesTheSameBytesAsKafkaForTheSmallSnappyAndLz4Batches() {
        // Both streams hold one incompressible 39-byte block: snappy as one literal, lz4 stored raw.
        assertThat(GoldenBatches.hex(goldenBatch(CompressionType.SNAPPY))).isEqualTo(GoldenBatches.B5);
        assertThat(GoldenBatches.hex(goldenBatch(CompressionType.LZ4))).isEqualTo(GoldenBatches.B6);
    }

    private static String streamPrefix(CompressionType type, int length) {
        ByteBuffer batch = goldenBatch(type);
        return GoldenBatches.hex(batch.position(61).limit(61 + length));
    }

    private static ByteBuffer goldenBatch(CompressionType type) {
        RecordBatchBuilder builder = new RecordBatchBuilder(ByteBuffer.allocate(512), Compression.of(type));
        GoldenBatches.appendGoldenRecords(builder);
        return builder.close();
    }

    private static ByteBuffer build(Compression compression, List<DecodedRecord> records, long producerId,
            short epoch, int baseSequence) {
        ByteBuffer buffer = ByteBuffer.allocate(sizeOfUncompressed(records));
        RecordBatchBuilder builder = new RecordBatchBuilder(buffer, compression);
        for (DecodedRecord record : records) {
            assertThat(builder.hasRoomFor(record.timestamp(), record.key(), record.value(), record.headers())).isTrue();
            builder.append(record.timestamp(), record.key(), record.value(), record.headers());
        }
        builder.setProducerState(producerId, epoch, baseSequence, false);
        return builder.close();
    }

    private static int sizeOfUncompressed(List<DecodedRecord> records) {
        int size = RecordBatchBuilder.BATCH_HEADER_SIZE;
        for (DecodedRecord r : records) {
            size += RecordBatchBuilder.estimateRecordSizeUpperBound(r.key(), r.value(), r.headers());
        }
        return size;
    }

    private static void assertDecodes(ByteBuffer batch, CompressionType type, List<DecodedRecord> expected) {
        DecodedBatch ours = RecordBatchReader.read(batch);
        assertThat(ours.compressionType()).isEqualTo(type);
        assertThat(ours.lastOffsetDelta()).isEqualTo(expected.size() - 1);
        assertThat(ours.baseTimestamp()).isEqualTo(expected.get(0).timestamp());
        assertThat(ours.maxTimestamp()).isEqualTo(expected.stream().mapToLong(DecodedRecord::timestamp).max().orElseThrow());
        assertThat(ours.records()).containsExactlyElementsOf(expected);

        MemoryRecords records = MemoryRecords.readableRecords(batch.duplicate());
        List<MutableRecordBatch> batches = new ArrayList<>();
        records.batches().forEach(batches::add);
        assertThat(batches).hasSize(1);
        MutableRecordBatch theirs = batches.get(0);
        theirs.ensureValid();
        assertThat(theirs.sizeInBytes()).isEqualTo(batch.remaining());
        assertThat(theirs.compressionType().id).isEqualTo(type.id);
        assertThat(theirs.baseOffset()).isZero();
        assertThat(theirs.lastOffset()).isEqualTo(expected.size() - 1);
        assertThat(theirs.countOrNull()).isEqualTo(expected.size());
        assertThat(theirs.maxTimestamp()).isEqualTo(ours.maxTimestamp());
        assertThat(theirs.producerId()).isEqualTo(ours.producerId());
        assertThat(theirs.producerEpoch()).isEqualTo(ours.producerEpoch());
        assertThat(theirs.baseSequence()).isEqualTo(ours.baseSequence());
        List<DecodedRecord> decodedByKafka = new ArrayList<>();
        for (Record record : theirs) {
            record.ensureValid();
            List<Header> headers = new ArrayList<>();
            for (org.apache.kafka.common.header.Header header : record.headers()) {
                headers.add(new Header(header.key(), header.value()));
            }
            decodedByKafka.add(new DecodedRecord(record.timestamp(), (int) record.offset(),
                    bytesOf(record.key()), bytesOf(record.value()), headers));
        }
        assertThat(decodedByKafka).containsExactlyElementsOf(expected);
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static List<DecodedRecord> shape(String shape) {
        Random random = new Random(shape.hashCode());
        List<DecodedRecord> records = new ArrayList<>();
        switch (shape) {
            case "golden":
                return GoldenBatches.goldenRecords();
            case "empty values":
                records.add(new DecodedRecord(T0, 0, new byte[0], new byte[0], List.of()));
                records.add(new DecodedRecord(T0, 1, new byte[0], new byte[0], List.of(new Header("", new byte[0]))));
                return records;
            case "nulls":
                records.add(new DecodedRecord(T0, 0, null, null, List.of()));
                records.add(new DecodedRecord(T0 + 1, 1, null, null, List.of()));
                return records;
            case "null header values":
                records.add(new DecodedRecord(T0, 0, utf8("k"), utf8("v"),
                        List.of(new Header("a", null), new Header("ключ", utf8("значение")), new Header("a", null))));
                return records;
            case "negative timestamp deltas":
                for (int i = 0; i < 20; i++) {
                    long timestamp = T0 - i * 123_456L + (i % 3 == 0 ? 10_000_000L : 0);
                    records.add(new DecodedRecord(timestamp, i, utf8("key-" + i), utf8("value-" + i), List.of()));
                }
                records.add(new DecodedRecord(0L, 20, null, utf8("epoch start"), List.of()));
                return records;
            case "many small records":
                for (int i = 0; i < 3000; i++) {
                    List<Header> headers = i % 7 == 0 ? List.of(new Header("trace", utf8("id-" + i))) : List.of();
                    records.add(new DecodedRecord(T0 + i, i, utf8("user-" + (i % 50)),
                            utf8("{\"event\":\"click\",\"n\":" + i + ",\"page\":\"/home\"}"), headers));
                }
                return records;
            case "1 MiB random": {
                byte[] value = new byte[ONE_MIB];
                random.nextBytes(value);
                records.add(new DecodedRecord(T0, 0, utf8("big"), value, List.of()));
                records.add(new DecodedRecord(T0 + 2, 1, null, Arrays.copyOf(value, 100), List.of()));
                return records;
            }
            case "1 MiB repetitive": {
                byte[] value = new byte[ONE_MIB];
                byte[] pattern = utf8("All work and no play makes Jack a dull boy. ");
                for (int i = 0; i < value.length; i++) {
                    value[i] = pattern[i % pattern.length];
                }
                records.add(new DecodedRecord(T0, 0, utf8("big"), value, List.of(new Header("h", null))));
                return records;
            }
            default:
                throw new IllegalArgumentException(shape);
        }
    }
}
