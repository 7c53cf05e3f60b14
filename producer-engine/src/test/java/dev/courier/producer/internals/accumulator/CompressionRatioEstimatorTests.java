package dev.courier.producer.internals.accumulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class CompressionRatioEstimatorTests {

    private final CompressionRatioEstimator estimator = new CompressionRatioEstimator();

    @Test
    void startsAtOneForATopicNeverSeen() {
        assertThat(estimator.estimate("t")).isEqualTo(1.0f);
    }

    @Test
    void movesDownByOneSmallStepPerWellCompressedBatch() {
        estimator.observe("t", 1000, 300);
        assertThat(estimator.estimate("t")).isCloseTo(0.995f, Offset.offset(1e-6f));
        for (int i = 0; i < 1000; i++) {
            estimator.observe("t", 1000, 300);
        }
        assertThat(estimator.estimate("t")).isCloseTo(0.3f, Offset.offset(1e-4f));
    }

    @Test
    void jumpsUpAtOnceWhenABatchCompressesWorseThanEstimated() {
        for (int i = 0; i < 1000; i++) {
            estimator.observe("t", 1000, 300);
        }
        estimator.observe("t", 1000, 900);
        assertThat(estimator.estimate("t")).isCloseTo(0.9f, Offset.offset(1e-4f));
        estimator.observe("t", 1000, 310);
        assertThat(estimator.estimate("t")).isCloseTo(0.895f, Offset.offset(1e-4f));
    }

    @Test
    void risesByAtLeastTheWorseningStepEvenForASlightlyWorseBatch() {
        for (int i = 0; i < 1000; i++) {
            estimator.observe("t", 1000, 300);
        }
        estimator.observe("t", 1000, 301);
        assertThat(estimator.estimate("t")).isCloseTo(0.35f, Offset.offset(1e-4f));
    }

    @Test
    void keepsEachTopicsEstimateApart() {
        estimator.observe("a", 1000, 100);
        assertThat(estimator.estimate("a")).isLessThan(1.0f);
        assertThat(estimator.estimate("b")).isEqualTo(1.0f);
    }

    @Test
    void staysWithinItsBoundsForExpandingAndTinyRatios() {
        estimator.observe("t", 1000, 5000);
        assertThat(estimator.estimate("t")).isEqualTo(1.0f);
        for (int i = 0; i < 10_000; i++) {
            estimator.observe("t", 1000, 1);
        }
        assertThat(estimator.estimate("t")).isEqualTo(CompressionRatioEstimator.MIN_RATIO);
    }

    @Test
    void budgetsTheRecordsSectionByTheRatioWithAMarginAndLeavesTheHeaderAlone() {
        assertThat(CompressionRatioEstimator.uncompressedBudget(16_384, 61, 1.0f)).isLessThan(16_384);
        long budget = CompressionRatioEstimator.uncompressedBudget(16_384, 61, 0.5f);
        assertThat(budget).isEqualTo(61 + (long) Math.ceil((16_384 - 61) / (0.5f * 1.05f)));
    }
}
