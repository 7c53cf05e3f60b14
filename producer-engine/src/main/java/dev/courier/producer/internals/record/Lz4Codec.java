package dev.courier.producer.internals.record;

import java.nio.ByteBuffer;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * The LZ4 frame exactly as Kafka writes it: magic, FLG {@code 0x60} (v01, independent blocks), BD
 * {@code 0x40} (64 KiB blocks), header checksum, blocks with int32 little-endian sizes (high bit =
 * stored uncompressed, used when compression does not shrink a block), end mark, no checksums.
 *
 * <p>The reader accepts what Kafka's {@code Lz4BlockInputStream} accepts: block sizes 64 KiB to 4 MiB,
 * optional content size, verified block checksums, an unverified content checksum.
 */
final class Lz4Codec implements Codec {

    static final int MAGIC = 0x184D2204;
    static final byte FLG = 0x60;
    static final byte BD = 0x40;
    static final int BLOCK_SIZE = 64 * 1024;
    static final int DEFAULT_LEVEL = 9;
    private static final int STORED_BLOCK_FLAG = 0x80000000;

    private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();
    private static final XXHash32 XXHASH = XXHashFactory.fastestInstance().hash32();
    /** Header checksum: second byte of xxHash32(FLG, BD; seed 0). 0x82 for Kafka's descriptor. */
    private static final byte HC = (byte) (XXHASH.hash(new byte[] {FLG, BD}, 0, 2, 0) >> 8);

    private final LZ4Compressor compressor;
    private final GrowableBytes out = new GrowableBytes(1024);

    /** Level 9 (the default) uses LZ4's fast compressor, any other level the HC compressor, as Kafka does. */
    Lz4Codec(int level) {
        this.compressor = level == DEFAULT_LEVEL ? LZ4.fastCompressor() : LZ4.highCompressor(level);
    }

    @Override
    public ByteBuffer compress(byte[] src, int offset, int length) {
        out.clear();
        int blocks = (length + BLOCK_SIZE - 1) / BLOCK_SIZE;
        int maxBlock = compressor.maxCompressedLength(Math.min(length, BLOCK_SIZE));
        out.ensureRoom(7 + blocks * (4 + Math.max(maxBlock, BLOCK_SIZE)) + 4);
        out.putIntLittleEndian(MAGIC);
        out.put(FLG);
        out.put(BD);
        out.put(HC);
        byte[] array = out.array();
        for (int pos = offset, end = offset + length; pos < end; pos += BLOCK_SIZE) {
            int blockLength = Math.min(BLOCK_SIZE, end - pos);
            int dataAt = out.size() + 4;
            int compressed = compressor.compress(src, pos, blockLength, array, dataAt, array.length - dataAt);
            if (compressed >= blockLength) {
                System.arraycopy(src, pos, array, dataAt, blockLength);
                out.putIntLittleEndian(blockLength | STORED_BLOCK_FLAG);
                out.size(out.size() + blockLength);
            } else {
                out.putIntLittleEndian(compressed);
                out.size(out.size() + compressed);
            }
        }
        out.putIntLittleEndian(0);
        return out.view();
    }

    @Override
    public void close() {
        // pure Java or JNI without per-instance state: nothing to release
    }

    static ByteBuffer decompress(byte[] src, int offset, int length) {
        try {
            return readFrame(src, offset, offset + length);
        } catch (LZ4Exception | ArrayIndexOutOfBoundsException e) {
            throw new CorruptRecordException("Invalid lz4 stream: " + e.getMessage(), e);
        }
    }

    private static ByteBuffer readFrame(byte[] src, int pos, int end) {
        if (end - pos < 7 || readIntLittleEndian(src, pos) != MAGIC) {
            throw new CorruptRecordException("Not an LZ4 frame (bad magic)");
        }
        pos += 4;
        int descriptorStart = pos;
        int flg = src[pos++] & 0xFF;
        int bd = src[pos++] & 0xFF;
        if ((flg >>> 6) != 1) {
            throw new CorruptRecordException("Unsupported LZ4 frame version " + (flg >>> 6));
        }
        if ((flg & 0x20) == 0) {
            throw new CorruptRecordException("LZ4 frames with linked (dependent) blocks are not supported");
        }
        if ((flg & 0x03) != 0 || (bd & 0x8F) != 0) {
            throw new CorruptRecordException("Reserved bits set in the LZ4 frame descriptor");
        }
        int blockSizeCode = (bd >>> 4) & 0x07;
        if (blockSizeCode < 4) {
            throw new CorruptRecordException("Unsupported LZ4 block size code " + blockSizeCode);
        }
        int maxBlockSize = 1 << (2 * blockSizeCode + 8);
        boolean blockChecksum = (flg & 0x10) != 0;
        boolean contentSize = (flg & 0x08) != 0;
        boolean contentChecksum = (flg & 0x04) != 0;
        if (contentSize) {
            pos += 8;
        }
        if (pos >= end) {
            throw new CorruptRecordException("Truncated LZ4 frame descriptor");
        }
        byte expectedHc = (byte) (XXHASH.hash(src, descriptorStart, pos - descriptorStart, 0) >> 8);
        if (src[pos++] != expectedHc) {
            throw new CorruptRecordException("LZ4 frame descriptor checksum mismatch");
        }
        LZ4SafeDecompressor decompressor = LZ4.safeDecompressor();
        GrowableBytes result = new GrowableBytes((end - pos) * 2);
        while (true) {
            requireBytes(pos, end, 4);
            int header = readIntLittleEndian(src, pos);
            pos += 4;
            int blockLength = header & ~STORED_BLOCK_FLAG;
            if (blockLength == 0) {
                break;
            }
            if (blockLength > maxBlockSize) {
                throw new CorruptRecordException("LZ4 block of " + blockLength + " bytes exceeds " + maxBlockSize);
            }
            requireBytes(pos, end, blockLength + (blockChecksum ? 4 : 0));
            if (blockChecksum && XXHASH.hash(src, pos, blockLength, 0) != readIntLittleEndian(src, pos + blockLength)) {
                throw new CorruptRecordException("LZ4 block checksum mismatch");
            }
            if ((header & STORED_BLOCK_FLAG) != 0) {
                result.put(src, pos, blockLength);
            } else {
                result.ensureRoom(maxBlockSize);
                int written = decompressor.decompress(src, pos, blockLength, result.array(), result.size(), maxBlockSize);
                result.size(result.size() + written);
            }
            pos += blockLength + (blockChecksum ? 4 : 0);
        }
        if (contentChecksum) {
            requireBytes(pos, end, 4); // read but, like Kafka, not verified
        }
        return result.view();
    }

    private static void requireBytes(int pos, int end, int needed) {
        if (end - pos < needed) {
            throw new CorruptRecordException("Truncated LZ4 frame");
        }
    }

    private static int readIntLittleEndian(byte[] src, int pos) {
        return (src[pos] & 0xFF) | (src[pos + 1] & 0xFF) << 8 | (src[pos + 2] & 0xFF) << 16 | (src[pos + 3] & 0xFF) << 24;
    }
}
