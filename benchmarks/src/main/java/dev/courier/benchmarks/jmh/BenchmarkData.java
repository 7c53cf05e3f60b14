package dev.courier.benchmarks.jmh;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Shared inputs: JSON-like values (so compression sees realistic text) and keys, seeded. */
final class BenchmarkData {

    private BenchmarkData() {
    }

    static byte[][] values(int count, int size) {
        Random random = new Random(7);
        byte[][] values = new byte[count][];
        for (int i = 0; i < count; i++) {
            StringBuilder s = new StringBuilder(size + 48);
            s.append("{\"order\":").append(random.nextInt(9_000_000)).append(",\"state\":\"")
                    .append(random.nextBoolean() ? "paid" : "shipped").append("\",\"items\":[");
            while (s.length() < size) {
                s.append("{\"sku\":\"sku-").append(random.nextInt(10_000)).append("\",\"qty\":")
                        .append(1 + random.nextInt(9)).append("},");
            }
            byte[] bytes = new byte[size];
            System.arraycopy(s.toString().getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, size);
            values[i] = bytes;
        }
        return values;
    }

    static byte[][] keys(int count, int size) {
        Random random = new Random(11);
        byte[][] keys = new byte[count][];
        for (int i = 0; i < count; i++) {
            keys[i] = new byte[size];
            random.nextBytes(keys[i]);
        }
        return keys;
    }
}
