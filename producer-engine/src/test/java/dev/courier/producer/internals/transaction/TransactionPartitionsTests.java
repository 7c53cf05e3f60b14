package dev.courier.producer.internals.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.producer.internals.metadata.TopicPartition;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TransactionPartitionsTests {

    private static final TopicPartition A = new TopicPartition("orders", 0);
    private static final TopicPartition B = new TopicPartition("orders", 1);

    private final TransactionPartitions partitions = new TransactionPartitions();

    @Test
    void aPartitionIsQueuedOnceAndNotAgainWhileItsAddPartitionsIsOut() {
        assertThat(partitions.queue(A)).isTrue();
        assertThat(partitions.queue(A)).isFalse();
        partitions.sent(partitions.queuedNow());
        assertThat(partitions.anyQueued()).isFalse();
        assertThat(partitions.queue(A)).isFalse();
        assertThat(partitions.anyQueued()).isFalse();
    }

    @Test
    void theNextRequestTakesThePartitionsInTheOrderTheyWereMet() {
        partitions.queue(B);
        partitions.queue(A);
        assertThat(partitions.queuedNow()).containsExactly(B, A);
    }

    @Test
    void aRequestWithoutAnAnswerQueuesItsPartitionsAgain() {
        partitions.queue(A);
        Set<TopicPartition> adding = partitions.queuedNow();
        partitions.sent(adding);
        partitions.notDelivered(adding);
        assertThat(partitions.queuedNow()).containsExactly(A);
        assertThat(partitions.isAdded(A)).isFalse();
    }

    @Test
    void anAnswerAddsOrRetriesEachPartition() {
        partitions.queue(A);
        partitions.queue(B);
        Set<TopicPartition> adding = partitions.queuedNow();
        partitions.sent(adding);
        partitions.answered(adding);
        partitions.added(A);
        partitions.retry(B);
        assertThat(partitions.isAdded(A)).isTrue();
        assertThat(partitions.queuedNow()).containsExactly(B);
        assertThat(partitions).hasToString("[" + A + "]");
    }

    @Test
    void droppingTheQueueKeepsTheAddedPartitionsAndClearingForgetsAll() {
        partitions.added(A);
        partitions.queue(B);
        partitions.dropQueued();
        assertThat(partitions.anyQueued()).isFalse();
        assertThat(partitions.isAdded(A)).isTrue();
        partitions.clear();
        assertThat(partitions.isAdded(A)).isFalse();
        assertThat(partitions.queue(A)).isTrue();
    }
}
