package dev.courier.producer.internals.accumulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.internals.record.DecodedRecord;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Where a refused batch is cut: pieces of at most a share of the bytes (unless one record is larger), never empty. */
class BatchSplitterTests {

    private static List<DecodedRecord> records(int... valueSizes) {
        return IntStream.of(valueSizes).mapToObj(size -> new DecodedRecord(0, 0, null, new byte[size], List.of()))
                .toList();
    }

    @Test
    void halvesCutWhereTheRunningSizeReachesHalfTheBytes() {
        assertThat(BatchSplitter.pieceStarts(records(10, 10, 10, 10), 2)).containsExactly(0, 2, 4);
        assertThat(BatchSplitter.pieceStarts(records(100, 10, 10, 10), 2)).containsExactly(0, 1, 4);
    }

    @Test
    void manyPiecesOfAboutEqualBytes() {
        assertThat(BatchSplitter.pieceStarts(records(10, 10, 10, 10, 10, 10, 10, 10), 4))
                .containsExactly(0, 2, 4, 6, 8);
        assertThat(BatchSplitter.pieceStarts(records(10, 10, 10, 11, 11, 11, 11, 11), 4))
                .as("no piece over a quarter of the bytes").containsExactly(0, 2, 4, 6, 8);
    }

    @Test
    void aRecordLargerThanAShareGoesAloneAndNoPieceIsEmpty() {
        assertThat(BatchSplitter.pieceStarts(records(10, 500, 10, 10), 4)).containsExactly(0, 1, 2, 4);
        assertThat(BatchSplitter.pieceStarts(records(10, 10, 1000), 2)).containsExactly(0, 2, 3);
    }
}
