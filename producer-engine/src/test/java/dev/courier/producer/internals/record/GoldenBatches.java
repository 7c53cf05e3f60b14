package dev.courier.producer.internals.record;

import dev.courier.producer.Header;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/** Batches written by kafka-clients 4.2.2 (copied from the reference GOLDEN_VECTORS.md) and their content. */
final class GoldenBatches {

    static final long TIMESTAMP_0 = 1_700_000_000_000L;
    static final long TIMESTAMP_1 = 1_700_000_000_005L;

    static final String B1 = "000000000000000000000058ffffffff02f4bb540b0000000000010000018bcf"
            + "e568000000018bcfe56805ffffffffffffffffffffffffffff00000002300000"
            + "000a6b65792d300e76616c75652d30020468310476311a000a02010e76616c75"
            + "652d3100";
    static final String B2 = "000000000000000000000058ffffffff0279d0dac90000000000010000018bcf"
            + "e568000000018bcfe5680500000000000003e800000000000000000002300000"
            + "000a6b65792d300e76616c75652d30020468310476311a000a02010e76616c75"
            + "652d3100";
    static final String B3 = "000000000000000000000058ffffffff027275a35d0010000000010000018bcf"
            + "e568000000018bcfe5680500000000000003e800000000000000000002300000"
            + "000a6b65792d300e76616c75652d30020468310476311a000a02010e76616c75"
            + "652d3100";
    static final String B4 = "000000000000000000000067ffffffff0209ee47680001000000010000018bcf"
            + "e568000000018bcfe56805ffffffffffffffffffffffffffff000000021f8b08"
            + "000000000000ff33606060e0ca4eadd435e02b4bcc294dd5356062c930642933"
            + "9462e06262848a1932000091a2206227000000";
    static final String B5 = "00000000000000000000006effffffff027a343fd80002000000010000018bcf"
            + "e568000000018bcfe56805ffffffffffffffffffffffffffff0000000282534e"
            + "41505059000000000100000001000000292798300000000a6b65792d300e7661"
            + "6c75652d30020468310476311a000a02010e76616c75652d3100";
    static final String B6 = "000000000000000000000067ffffffff02f9c023d00003000000010000018bcf"
            + "e568000000018bcfe56805ffffffffffffffffffffffffffff0000000204224d"
            + "1860408227000080300000000a6b65792d300e76616c75652d30020468310476"
            + "311a000a02010e76616c75652d310000000000";
    static final String B7 = "000000000000000000000064ffffffff02723b99440004000000010000018bcf"
            + "e568000000018bcfe56805ffffffffffffffffffffffffffff0000000228b52f"
            + "fd0058380100300000000a6b65792d300e76616c75652d30020468310476311a"
            + "000a02010e76616c75652d3100010000";
    static final String B8 = "000000000000002a0000004200000007024e0746d70030000000000000018bcf"
            + "e568640000018bcfe5686400000000000003e80000ffffffff00000001200000"
            + "0008000000010c00000000000500";

    private GoldenBatches() {
    }

    static ByteBuffer bytes(String hex) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(hex));
    }

    static String hex(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The two records every golden batch B1-B7 holds. */
    static List<DecodedRecord> goldenRecords() {
        return List.of(
                new DecodedRecord(TIMESTAMP_0, 0, utf8("key-0"), utf8("value-0"), List.of(new Header("h1", utf8("v1")))),
                new DecodedRecord(TIMESTAMP_1, 1, null, utf8("value-1"), List.of()));
    }

    /** Appends the golden records to a builder. */
    static void appendGoldenRecords(RecordBatchBuilder builder) {
        for (DecodedRecord record : goldenRecords()) {
            builder.append(record.timestamp(), record.key(), record.value(), record.headers());
        }
    }
}
