package dev.courier.producer.internals.record;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequencesTests {

    @Test
    void sequencesWrapAfterIntegerMaxValue() {
        assertThat(Sequences.increment(Integer.MAX_VALUE - 1, 3)).isEqualTo(1);
        assertThat(Sequences.increment(-1, 1)).isZero();
        assertThat(Sequences.before(Integer.MAX_VALUE, 0)).isTrue();
        assertThat(Sequences.before(0, Integer.MAX_VALUE)).isFalse();
        assertThat(Sequences.before(5, 5)).isFalse();
    }
}
