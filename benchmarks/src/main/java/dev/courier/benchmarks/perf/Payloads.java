package dev.courier.benchmarks.perf;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Record values for a round: 1024 distinct JSON-like payloads of the cell's size, cycled. Text that
 * varies record to record, like real events, so lz4 has something realistic to work on (neither random
 * bytes nor one value repeated). Seeded: both clients send the same bytes.
 */
final class Payloads {

    private static final int VARIANTS = 1024;
    private static final String[] CURRENCIES = {"EUR", "USD", "GBP", "CHF", "JPY"};
    private static final String[] STATES = {"created", "paid", "shipped", "delivered", "returned"};

    private Payloads() {
    }

    static byte[][] forRound(int recordSize, int records) {
        byte[][] variants = new byte[VARIANTS][];
        Random random = new Random(42);
        for (int i = 0; i < VARIANTS; i++) {
            variants[i] = payload(random, recordSize);
        }
        byte[][] values = new byte[records][];
        for (int i = 0; i < records; i++) {
            values[i] = variants[i % VARIANTS];
        }
        return values;
    }

    static byte[] payload(Random random, int size) {
        StringBuilder json = new StringBuilder(size + 64);
        json.append("{\"order\":").append(1_000_000 + random.nextInt(9_000_000))
                .append(",\"customer\":\"c-").append(random.nextInt(100_000))
                .append("\",\"state\":\"").append(STATES[random.nextInt(STATES.length)])
                .append("\",\"amount\":").append(random.nextInt(100_000) / 100.0)
                .append(",\"currency\":\"").append(CURRENCIES[random.nextInt(CURRENCIES.length)])
                .append("\",\"items\":[");
        while (json.length() < size) {
            json.append("{\"sku\":\"sku-").append(random.nextInt(10_000)).append("\",\"qty\":")
                    .append(1 + random.nextInt(9)).append("},");
        }
        byte[] bytes = new byte[size];
        byte[] text = json.toString().getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, bytes, 0, size);
        if (size >= 2) {
            bytes[size - 2] = ']';
            bytes[size - 1] = '}';
        }
        return bytes;
    }
}
