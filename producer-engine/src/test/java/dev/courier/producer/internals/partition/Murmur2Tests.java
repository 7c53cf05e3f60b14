package dev.courier.producer.internals.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Murmur2Tests {

    /** Vectors from kafka-clients' Utils.murmur2 / Utils.toPositive (PRODUCER_BEHAVIOUR.md section 1). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                 | 275646681   | 275646681  | 3 | 9  | 0 | 81
            61                                 | -1563381124 | 584102524  | 4 | 4  | 1 | 24
            6162                               | 316155434   | 316155434  | 2 | 2  | 2 | 34
            616263                             | 479470107   | 479470107  | 3 | 3  | 0 | 7
            61626364                           | -1323649548 | 823834100  | 2 | 8  | 2 | 0
            68656c6c6f                         | 2132663229  | 2132663229 | 3 | 9  | 0 | 29
            6b61666b612d6b65792d3432           | 1593960674  | 1593960674 | 2 | 2  | 2 | 74
            6b65792d30                         | 29210041    | 29210041   | 1 | 1  | 1 | 41
            6b65792d31                         | 193331640   | 193331640  | 0 | 0  | 0 | 40
            757365722d3132333435               | -243491053  | 1903992595 | 1 | 7  | 1 | 95
            68c3a96c6c6f2dd0bad0bbd18ed187     | 554852930   | 554852930  | 2 | 2  | 2 | 30
            dbb89288f91d06346f0f582b7c99e2e6   | -298138221  | 1849345427 | 5 | 11 | 2 | 27
            774e4b059cd8c39f3f67d8b087e24291   | -530117273  | 1617366375 | 3 | 3  | 0 | 75
            00                                 | 375494588   | 375494588  | 2 | 8  | 2 | 88
            ff                                 | -311467685  | 1836015963 | 3 | 3  | 0 | 63
            """)
    void hashesAndPartitionsEveryReferenceKeyLikeKafka(String keyHex, int hash, int positive, int p6, int p12,
            int p3, int p100) {
        byte[] key = HexFormat.of().parseHex(keyHex == null ? "" : keyHex);

        assertThat(Murmur2.hash(key)).isEqualTo(hash);
        assertThat(Murmur2.toPositive(Murmur2.hash(key))).isEqualTo(positive);
        assertThat(Murmur2.partition(key, 6)).isEqualTo(p6);
        assertThat(Murmur2.partition(key, 12)).isEqualTo(p12);
        assertThat(Murmur2.partition(key, 3)).isEqualTo(p3);
        assertThat(Murmur2.partition(key, 100)).isEqualTo(p100);
    }

    @Test
    void hashesUtf8StringKeysByTheirBytes() {
        assertThat(Murmur2.hash("héllo-ключ".getBytes(StandardCharsets.UTF_8))).isEqualTo(554852930);
    }

    @Test
    void toPositiveMasksTheSignBitInsteadOfTakingTheAbsoluteValue() {
        assertThat(Murmur2.toPositive(Integer.MIN_VALUE)).isZero();
        assertThat(Murmur2.toPositive(-1)).isEqualTo(Integer.MAX_VALUE);
        assertThat(Murmur2.toPositive(42)).isEqualTo(42);
    }

    @Test
    void agreesWithKafkaOnRandomKeys() {
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] key = new byte[random.nextInt(40)];
            random.nextBytes(key);
            assertThat(Murmur2.hash(key)).as("key %s", HexFormat.of().formatHex(key))
                    .isEqualTo(org.apache.kafka.common.utils.Utils.murmur2(key));
        }
    }
}
