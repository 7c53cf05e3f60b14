package dev.courier.producer.internals.record;

import static dev.courier.producer.internals.record.GoldenBatches.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdOutputStream;
import dev.courier.producer.errors.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream.BLOCKSIZE;
import net.jpountz.lz4.LZ4FrameOutputStream.FLG.Bits;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyOutputStream;

class CompressionTests {

    /** 300 KiB: several snappy chunks and lz4 blocks, compressible but not trivially. */
    private static final byte[] CONTENT = content(300 * 1024);

    @Test
    void namesAndIdsMatchKafka() {
        for (CompressionType type : CompressionType.values()) {
            assertThat(CompressionType.forName(type.configName)).isSameAs(type);
            assertThat(CompressionType.forId(type.id)).isSameAs(type);
            assertThat(org.apache.kafka.common.record.internal.CompressionType.forId(type.id).name).isEqualTo(type.configName);
        }
    }

    @Test
    void rejectsUnknownNamesAsAConfigurationError() {
        assertThatThrownBy(() -> CompressionType.forName("brotli"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("compression.type"));
        assertThatThrownBy(() -> CompressionType.forName("GZIP")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> CompressionType.forId(5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsTheLevelRangesOfKip390() {
        assertThat(Compression.of(CompressionType.GZIP, -1).level()).isEqualTo(-1);
        assertThat(Compression.of(CompressionType.GZIP, 1).level()).isEqualTo(1);
        assertThat(Compression.of(CompressionType.GZIP, 9).level()).isEqualTo(9);
        assertThat(Compression.of(CompressionType.LZ4, 1).level()).isEqualTo(1);
        assertThat(Compression.of(CompressionType.LZ4, 17).level()).isEqualTo(17);
        assertThat(Compression.of(CompressionType.ZSTD, -131072).level()).isEqualTo(-131072);
        assertThat(Compression.of(CompressionType.ZSTD, 22).level()).isEqualTo(22);
        assertThat(Compression.of(CompressionType.SNAPPY, 5).type()).isEqualTo(CompressionType.SNAPPY);
        assertThat(Compression.of(CompressionType.NONE, 5)).isSameAs(Compression.none());
    }

    @Test
    void usesKafkasDefaultLevels() {
        assertThat(Compression.of(CompressionType.GZIP).level()).isEqualTo(-1);
        assertThat(Compression.of(CompressionType.LZ4).level()).isEqualTo(9);
        assertThat(Compression.of(CompressionType.ZSTD).level()).isEqualTo(3);
    }

    @Test
    void rejectsLevelsOutsideTheCodecsRangeNamingTheLevelKey() {
        assertLevelRejected(CompressionType.GZIP, 0, "compression.gzip.level");
        assertLevelRejected(CompressionType.GZIP, 10, "compression.gzip.level");
        assertLevelRejected(CompressionType.LZ4, 0, "compression.lz4.level");
        assertLevelRejected(CompressionType.LZ4, 18, "compression.lz4.level");
        assertLevelRejected(CompressionType.ZSTD, -131073, "compression.zstd.level");
        assertLevelRejected(CompressionType.ZSTD, 23, "compression.zstd.level");
    }

    private static void assertLevelRejected(CompressionType type, int level, String key) {
        assertThatThrownBy(() -> Compression.of(type, level))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo(key);
                    assertThat(e.value()).isEqualTo(level);
                });
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void findsEveryCodecLibraryOnTheTestClasspath(CompressionType type) {
        type.ensureAvailable();
        assertThat(Compression.of(type).type()).isEqualTo(type);
    }

    @Test
    void worksWithoutTheOptionalCodecLibraries() throws Exception {
        URL[] classpath = {
            Compression.class.getProtectionDomain().getCodeSource().getLocation(),
            net.jpountz.lz4.LZ4Factory.class.getProtectionDomain().getCodeSource().getLocation(),
        };
        try (URLClassLoader isolated = new URLClassLoader(classpath, ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> isolated.loadClass("org.xerial.snappy.Snappy")).isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> isolated.loadClass("com.github.luben.zstd.Zstd")).isInstanceOf(ClassNotFoundException.class);
            String pkg = Compression.class.getPackageName();
            @SuppressWarnings({"unchecked", "rawtypes"})
            Class<Enum> typeClass = (Class<Enum>) isolated.loadClass(pkg + ".CompressionType");
            Class<?> compressionClass = isolated.loadClass(pkg + ".Compression");
            Class<?> builderClass = isolated.loadClass(pkg + ".RecordBatchBuilder");

            for (String codec : List.of("NONE", "GZIP", "LZ4")) {
                @SuppressWarnings("unchecked")
                Object type = Enum.valueOf(typeClass, codec);
                Object compression = compressionClass.getMethod("of", typeClass).invoke(null, type);
                Object builder = builderClass.getConstructor(ByteBuffer.class, compressionClass)
                        .newInstance(ByteBuffer.allocate(256), compression);
                builderClass.getMethod("append", long.class, byte[].class, byte[].class, List.class)
                        .invoke(builder, 5L, utf8("k"), utf8("v"), List.of());
                ByteBuffer batch = (ByteBuffer) builderClass.getMethod("close").invoke(builder);

                DecodedBatch decoded = RecordBatchReader.read(batch);
                assertThat(decoded.compressionType().name()).isEqualTo(codec);
                assertThat(decoded.records().get(0).value()).isEqualTo(utf8("v"));
            }
            for (String codec : List.of("SNAPPY", "ZSTD")) {
                @SuppressWarnings("unchecked")
                Object type = Enum.valueOf(typeClass, codec);
                assertThatThrownBy(() -> invoke(compressionClass, type, typeClass))
                        .satisfies(e -> {
                            assertThat(e.getClass().getName()).isEqualTo(ConfigException.class.getName());
                            assertThat(e.getMessage()).contains("compression.type").contains(
                                    codec.equals("SNAPPY") ? "org.xerial.snappy:snappy-java" : "com.github.luben:zstd-jni");
                        });
            }
        }
    }

    private static void invoke(Class<?> compressionClass, Object type, Class<?> typeClass) throws Throwable {
        try {
            compressionClass.getMethod("of", typeClass).invoke(null, type);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void decompressesGzipStreamsOfSeveralMembers() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(CONTENT, 0, 1000);
        }
        try (OutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(CONTENT, 1000, CONTENT.length - 1000);
        }

        assertDecompressesToContent(CompressionType.GZIP, out.toByteArray());
    }

    @Test
    void decompressesSnappyJavaStreamsAndRawBlocks() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream snappy = new SnappyOutputStream(out)) {
            snappy.write(CONTENT);
        }
        assertDecompressesToContent(CompressionType.SNAPPY, out.toByteArray());
        assertDecompressesToContent(CompressionType.SNAPPY, Snappy.compress(CONTENT));
    }

    @Test
    void decompressesLz4FramesWithEveryOptionKafkasReaderAccepts() throws IOException {
        long size = CONTENT.length;
        assertDecompressesToContent(CompressionType.LZ4, lz4Frame(BLOCKSIZE.SIZE_64KB, -1, Bits.BLOCK_INDEPENDENCE));
        assertDecompressesToContent(CompressionType.LZ4, lz4Frame(BLOCKSIZE.SIZE_4MB, -1, Bits.BLOCK_INDEPENDENCE));
        assertDecompressesToContent(CompressionType.LZ4, lz4Frame(BLOCKSIZE.SIZE_256KB, -1,
                Bits.BLOCK_INDEPENDENCE, Bits.BLOCK_CHECKSUM));
        assertDecompressesToContent(CompressionType.LZ4, lz4Frame(BLOCKSIZE.SIZE_1MB, size,
                Bits.BLOCK_INDEPENDENCE, Bits.CONTENT_SIZE, Bits.CONTENT_CHECKSUM));
    }

    @Test
    void refusesLz4FramesWithLinkedBlocks() throws IOException {
        byte[] frame = lz4Frame(BLOCKSIZE.SIZE_64KB, -1, Bits.BLOCK_INDEPENDENCE);
        frame[4] = 0x40; // FLG without the block independence bit, header checksum made to match
        frame[6] = (byte) (net.jpountz.xxhash.XXHashFactory.fastestInstance().hash32().hash(frame, 4, 2, 0) >> 8);

        assertThatThrownBy(() -> Compression.decompress(CompressionType.LZ4, ByteBuffer.wrap(frame)))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("linked");
    }

    @Test
    void refusesAnLz4BlockWithABadChecksum() throws IOException {
        byte[] frame = lz4Frame(BLOCKSIZE.SIZE_64KB, -1, Bits.BLOCK_INDEPENDENCE, Bits.BLOCK_CHECKSUM);
        frame[7 + 4 + 10] ^= 0x01; // inside the first block's data

        assertThatThrownBy(() -> Compression.decompress(CompressionType.LZ4, ByteBuffer.wrap(frame)))
                .isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void decompressesZstdFramesFromOtherWriters() throws IOException {
        assertDecompressesToContent(CompressionType.ZSTD, Zstd.compress(CONTENT, 1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZstdOutputStream zstd = new ZstdOutputStream(out, 7)) {
            zstd.setChecksum(true);
            zstd.write(CONTENT);
        }
        assertDecompressesToContent(CompressionType.ZSTD, out.toByteArray());
        // The hand-made frame of COMPRESSION.md: single segment, 8-byte content size, one raw last block.
        byte[] content = utf8("hello");
        String handMade = "28b52ffd" + "e0" + "0500000000000000" + "290000" + HexFormat.of().formatHex(content);
        assertThat(Compression.decompress(CompressionType.ZSTD, ByteBuffer.wrap(HexFormat.of().parseHex(handMade))))
                .isEqualTo(ByteBuffer.wrap(content));
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void compressesStreamsThatTheCodecsOwnReaderAccepts(CompressionType type) throws IOException {
        try (Compression compression = Compression.of(type)) {
            ByteBuffer compressed = compression.compress(ByteBuffer.wrap(CONTENT));
            byte[] stream = new byte[compressed.remaining()];
            compressed.get(stream);

            assertThat(Compression.decompress(type, ByteBuffer.wrap(stream))).isEqualTo(ByteBuffer.wrap(CONTENT));
            if (type == CompressionType.NONE) {
                return;
            }
            org.apache.kafka.common.compress.Compression kafka = org.apache.kafka.common.compress.Compression
                    .of(org.apache.kafka.common.record.internal.CompressionType.forId(type.id)).build();
            try (var in = kafka.wrapForInput(ByteBuffer.wrap(stream), (byte) 2,
                    org.apache.kafka.common.utils.internals.BufferSupplier.NO_CACHING)) {
                assertThat(in.readAllBytes()).isEqualTo(CONTENT);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void readsBatchesKafkaCompressedWithSeveralBlocks(CompressionType type) {
        org.apache.kafka.common.compress.Compression kafka = org.apache.kafka.common.compress.Compression
                .of(org.apache.kafka.common.record.internal.CompressionType.forId(type.id)).build();
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024), kafka, TimestampType.CREATE_TIME, 0L);
        for (int i = 0; i < 100; i++) {
            builder.append(1000L + i, utf8("key-" + i), java.util.Arrays.copyOfRange(CONTENT, i * 1000, i * 1000 + 2000));
        }
        ByteBuffer batch = builder.build().buffer();

        DecodedBatch decoded = RecordBatchReader.read(batch);

        assertThat(decoded.compressionType()).isEqualTo(type);
        assertThat(decoded.records()).hasSize(100);
        assertThat(decoded.records().get(99).value()).isEqualTo(java.util.Arrays.copyOfRange(CONTENT, 99_000, 101_000));
        assertThat(decoded.records().get(99).timestamp()).isEqualTo(1099L);
    }

    private static void assertDecompressesToContent(CompressionType type, byte[] stream) {
        assertThat(Compression.decompress(type, ByteBuffer.wrap(stream))).isEqualTo(ByteBuffer.wrap(CONTENT));
    }

    private static byte[] lz4Frame(BLOCKSIZE blockSize, long contentSize, Bits... bits) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream lz4 = new LZ4FrameOutputStream(out, blockSize, contentSize, bits)) {
            lz4.write(CONTENT);
        }
        return out.toByteArray();
    }

    private static byte[] content(int size) {
        Random random = new Random(11);
        byte[] words = utf8("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu ");
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = random.nextInt(8) == 0 ? (byte) random.nextInt(256) : words[(i * 7 + random.nextInt(3)) % words.length];
        }
        return bytes;
    }
}
