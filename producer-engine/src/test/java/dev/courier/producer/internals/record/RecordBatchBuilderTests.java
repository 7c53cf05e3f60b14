package dev.courier.producer.internals.record;

import static dev.courier.producer.internals.record.GoldenBatches.B1;
import static dev.courier.producer.internals.record.GoldenBatches.B2;
import static dev.courier.producer.internals.record.GoldenBatches.B3;
import static dev.courier.producer.internals.record.GoldenBatches.appendGoldenRecords;
import static dev.courier.producer.internals.record.GoldenBatches.bytes;
import static dev.courier.producer.internals.record.GoldenBatches.hex;
import static dev.courier.producer.internals.record.GoldenBatches.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.producer.Header;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class RecordBatchBuilderTests {

    @Test
    void tryAppendRefusesARecordThatDoesNotFitWithoutWritingAnything() {
        RecordBatchBuilder builder = new RecordBatchBuilder(ByteBuffer.allocate(100), Compression.none());
        assertThat(builder.tryAppend(1L, null, new byte[20], List.of())).isTrue();
        int size = builder.sizeInBytes();
        assertThat(builder.tryAppend(2L, null, new byte[20], List.of())).isFalse();
        assertThat(builder.sizeInBytes()).isEqualTo(size);
        assertThat(builder.recordCount()).isEqualTo(1);
        assertThat(RecordBatchReader.read(builder.close()).records()).hasSize(1);
        assertThat(builder.tryAppend(3L, null, new byte[1], List.of())).as("closed").isFalse();
    }

    @Test
    void writesTheSameBytesAsKafkaForAnUncompressedBatch() {
        RecordBatchBuilder builder = new RecordBatchBuilder(ByteBuffer.allocate(256), Compression.none());
        appendGoldenRecords(builder);

        assertThat(hex(builder.close())).isEqualTo(B1);
    }

    @Test
    void writesTheSameBytesAsKafkaForAnIdempotentBatch() {
        RecordBatchBuilder builder = new RecordBatchBuilder(ByteBuffer.allocate(256), Compression.none());
        appendGoldenRecords(builder);
        builder.setProducerState(1000L, (short) 0, 0, false);

        assertThat(hex(builder.close())).isEqualTo(B2);
    }

    @Test
    void writesTheSameBytesAsKafkaForATransactionalBatch() {
        RecordBatchBuilder builder = new RecordBatchBuilder(ByteBuffer.allocate(256), Compression.none());
        appendGoldenRecords(builder);
        builder.setProducerState(1000L, (short) 0, 0, true);

        assertThat(hex(builder.close())).isEqualTo(B3);
    }

    @Test
    void rewritingTheProducerStateOfAClosedBatchGivesTheIdempotentBytes() {
        RecordBatchBuilder builder = new RecordBatchBuilder(ByteBuffer.allocate(256), Compression.none());
        appendGoldenRecords(builder);
        ByteBuffer batch = builder.close();

        RecordBatchBuilder.rewriteProducerState(batch, 1000L, (short) 0, 0);

        assertThat(hex(batch)).isEqualTo(B2);
        assertThat(batch.position()).isZero();
    }

    @Test
    void rewritesTheProducerStateOfABatchThatDoesNotStartAtPositionZero() {
        ByteBuffer buffer = ByteBuffer.allocate(120);
        buffer.position(20);
        buffer.put(bytes(B1));
        buffer.position(20);

        RecordBatchBuilder.rewriteProducerState(buffer, 1000L, (short) 0, 0);

        assertThat(hex(buffer)).isEqualTo(B2);
        assertThat(buffer.position()).isEqualTo(20);
    }

    @Test
    void computesTheCrc32cCheckValue() {
        CRC32C crc = new CRC32C();
        crc.update("123456789".getBytes(StandardCharsets.US_ASCII));
        assertThat(crc.getValue()).isEqualTo(0xE3069283L);
    }

    @Test
    void writesTheBatchAtTheBufferPositionWithoutMovingTheCallersBuffer() {
        ByteBuffer buffer = ByteBuffer.allocate(300);
        buffer.position(50).limit(250);
        RecordBatchBuilder builder = new RecordBatchBuilder(buffer, Compression.none());
        appendGoldenRecords(builder);

        ByteBuffer batch = builder.close();

        assertThat(hex(batch)).isEqualTo(B1);
        assertThat(buffer.position()).isEqualTo(50);
        assertThat(buffer.limit()).isEqualTo(250);
        assertThat(hex(buffer.duplicate().position(50).limit(150))).isEqualTo(B1);
    }

    @Test
    void writesTheSameBytesIntoADirectBuffer() {
        RecordBatchBuilder builder = new RecordBatchBuilder(ByteBuffer.allocateDirect(256), Compression.none());
        appendGoldenRecords(builder);

        assertThat(hex(builder.close())).isEqualTo(B1);
    }

    @Test
    void closingTwiceReturnsTheSameBytes() {
        RecordBatchBuilder builder = new RecordBatchBuilder(ByteBuffer.allocate(256), Compression.of(CompressionType.GZIP));
        appendGoldenRecords(builder);

        String first = hex(builder.close());
        String second = hex(builder.close());

        assertThat(second).isEqualTo(first);
        assertThat(builder.isClosed()).isTrue();
        assertThat(builder.closedSizeInBytes()).isEqualTo(first.length() / 2);
    }

    @Test
    void tracksCountSizeAndEmptiness() {
        RecordBatchBuilder builder = new RecordBatchBuilder(ByteBuffer.allocate(256), Compression.none());
        assertThat(builder.isEmpty()).isTrue();
        assertThat(builder.sizeInBytes()).isEqualTo(RecordBatchBuilder.BATCH_HEADER_SIZE);

        appendGoldenRecords(builder);

        assertThat(builder.isEmpty()).isFalse();
        assertThat(builder.recordCount()).isEqualTo(2);
        assertThat(builder.sizeInBytes()).isEqualTo(100);
        builder.close();
        assertThat(builder.sizeInBytes()).isEqualTo(100);
    }

    @Test
    void refusesToAppendOrChangeProducerStateAfterClose() {
        RecordBatchBuilder builder = new RecordBatchBuilder(ByteBuffer.allocate(256), Compression.none());
        appendGoldenRecords(builder);
        builder.close();

        assertThat(builder.hasRoomFor(1L, null, null, List.of())).isFalse();
        assertThatThrownBy(() -> builder.append(1L, null, null, List.of())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> builder.setProducerState(1L, (short) 0, 0, false))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesToCloseABatchWithoutRecords() {
        RecordBatchBuilder builder = new RecordBatchBuilder(ByteBuffer.allocate(256), Compression.none());

        assertThatThrownBy(builder::close).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesABufferSmallerThanTheBatchHeader() {
        assertThatThrownBy(() -> new RecordBatchBuilder(ByteBuffer.allocate(60), Compression.none()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neverWritesPastTheLimitAndFillsTheBufferExactly() {
        Random random = new Random(3);
        for (int round = 0; round < 200; round++) {
            int capacity = 61 + random.nextInt(400);
            byte[] backing = new byte[capacity + 16];
            Arrays.fill(backing, (byte) 0x5A);
            ByteBuffer buffer = ByteBuffer.wrap(backing, 0, capacity);
            RecordBatchBuilder builder = new RecordBatchBuilder(buffer, Compression.none());
            long timestamp = 1_700_000_000_000L;
            while (true) {
                byte[] key = random.nextBoolean() ? null : new byte[random.nextInt(30)];
                byte[] value = random.nextInt(10) == 0 ? null : new byte[random.nextInt(200)];
                List<Header> headers = random.nextBoolean() ? List.of() : List.of(new Header("hé", new byte[random.nextInt(5)]));
                timestamp += random.nextInt(2_000_000) - 1_000_000;
                if (!builder.hasRoomFor(timestamp, key, value, headers)) {
                    long before = builder.sizeInBytes();
                    long finalTimestamp = timestamp;
                    assertThatThrownBy(() -> builder.append(finalTimestamp, key, value, headers))
                            .isInstanceOf(IllegalStateException.class);
                    assertThat(builder.sizeInBytes()).isEqualTo(before);
                    break;
                }
                int before = builder.sizeInBytes();
                builder.append(timestamp, key, value, headers);
                assertThat(builder.sizeInBytes() - before)
                        .isLessThanOrEqualTo(RecordBatchBuilder.estimateRecordSizeUpperBound(key, value, headers));
                assertThat(builder.sizeInBytes()).isLessThanOrEqualTo(capacity);
            }
            for (int i = capacity; i < backing.length; i++) {
                assertThat(backing[i]).as("byte %d past the limit", i).isEqualTo((byte) 0x5A);
            }
            if (!builder.isEmpty()) {
                assertThat(RecordBatchReader.read(builder.close()).records()).hasSize(builder.recordCount());
            }
        }
    }

    @Test
    void acceptsARecordThatFillsTheBufferToTheLastByte() {
        byte[] value = new byte[100];
        // length varint (107 -> 2 bytes), attrs, tsDelta, offsetDelta, null key, value (2 + 100), header count
        int exact = 61 + 2 + 1 + 1 + 1 + 1 + 2 + 100 + 1;
        RecordBatchBuilder builder = new RecordBatchBuilder(ByteBuffer.allocate(exact), Compression.none());

        assertThat(builder.hasRoomFor(5L, null, value, List.of())).isTrue();
        builder.append(5L, null, value, List.of());

        assertThat(builder.sizeInBytes()).isEqualTo(exact);
        assertThat(new RecordBatchBuilder(ByteBuffer.allocate(exact - 1), Compression.none())
                .hasRoomFor(5L, null, value, List.of())).isFalse();
    }

    @Test
    void estimatesAnUpperBoundThatCoversTheWorstCaseDeltas() {
        byte[] key = utf8("key");
        byte[] value = new byte[300];
        List<Header> headers = List.of(new Header("ключ", null), new Header("h", new byte[2]));
        int bound = RecordBatchBuilder.estimateRecordSizeUpperBound(key, value, headers);
        ByteBuffer buffer = ByteBuffer.allocate(61 + 2 * bound);
        RecordBatchBuilder builder = new RecordBatchBuilder(buffer, Compression.none());
        builder.append(Long.MAX_VALUE, key, value, headers);
        builder.append(Long.MIN_VALUE + 1, key, value, headers); // largest negative timestamp delta

        assertThat(builder.sizeInBytes() - 61).isLessThanOrEqualTo(2 * bound);
        assertThat(RecordBatchBuilder.estimateBatchSizeUpperBound(key, value, headers)).isEqualTo(61 + bound);
    }

    @Test
    void writesHeaderKeysAsUtf8LikeStringGetBytes() {
        String[] keys = {"plain", "é", "ключ", "€uro", "\uD83D\uDE00 emoji", "lone \uD800 high", "lone \uDC00 low", "end\uD800"};
        for (String key : keys) {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            Utf8.write(key, buffer);
            byte[] expected = key.getBytes(StandardCharsets.UTF_8);
            assertThat(Utf8.encodedLength(key)).as(key).isEqualTo(expected.length);
            assertThat(Arrays.copyOf(buffer.array(), buffer.position())).as(key).isEqualTo(expected);
        }
    }

    @Test
    void keepsTheCodecIdAndTransactionalFlagInTheAttributes() {
        RecordBatchBuilder builder = new RecordBatchBuilder(ByteBuffer.allocate(256), Compression.of(CompressionType.GZIP));
        appendGoldenRecords(builder);
        builder.setProducerState(7L, (short) 1, 10, true);

        DecodedBatch batch = RecordBatchReader.read(builder.close());

        assertThat(batch.attributes()).isEqualTo((short) 0x0011);
        assertThat(batch.producerId()).isEqualTo(7L);
        assertThat(batch.producerEpoch()).isEqualTo((short) 1);
        assertThat(batch.baseSequence()).isEqualTo(10);
    }

    @Test
    void movesACompressedBatchThatOutgrowsItsBufferToANewHeapBuffer() {
        byte[] random = new byte[4096];
        new Random(1).nextBytes(random);
        int exact = RecordBatchBuilder.estimateBatchSizeUpperBound(null, random, List.of());
        ByteBuffer buffer = ByteBuffer.allocate(exact);
        RecordBatchBuilder builder = new RecordBatchBuilder(buffer, Compression.of(CompressionType.GZIP, 9));
        builder.append(1L, null, random, List.of());

        ByteBuffer batch = builder.close();

        assertThat(batch.limit()).isGreaterThan(exact);
        assertThat(batch.array()).isNotSameAs(buffer.array());
        assertThat(RecordBatchReader.read(batch).records().get(0).value()).isEqualTo(random);
    }

    @Test
    void copiesACompressedBatchBackIntoItsOwnBufferWhenItFits() {
        ByteBuffer buffer = ByteBuffer.allocate(10_000);
        RecordBatchBuilder builder = new RecordBatchBuilder(buffer, Compression.of(CompressionType.LZ4));
        for (int i = 0; i < 50; i++) {
            builder.append(1L + i, utf8("key"), utf8("the same value over and over again"), List.of());
        }
        int uncompressed = builder.sizeInBytes();

        ByteBuffer batch = builder.close();

        assertThat(batch.limit()).isLessThan(uncompressed);
        assertThat(batch.array()).isSameAs(buffer.array());
        assertThat(RecordBatchReader.read(batch).records()).hasSize(50);
    }
}
