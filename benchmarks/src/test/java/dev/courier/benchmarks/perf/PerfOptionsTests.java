package dev.courier.benchmarks.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PerfOptionsTests {

    @Test
    void tlsRunsTheFourTlsCellsWithAcksAll() {
        List<Cell> matrix = PerfOptions.parse(new String[] {"--tls"}).matrix();
        assertThat(matrix).extracting(Cell::label).containsExactly(
                "TLS 100B acks=all linger=5 batch=64K none idem", "TLS 100B acks=all linger=5 batch=64K lz4 idem",
                "TLS 1KiB acks=all linger=5 batch=64K none idem", "TLS 1KiB acks=all linger=5 batch=64K lz4 idem");
        assertThat(PerfOptions.parse(new String[] {"--tls"}).out().toString()).endsWith("embedded-tls");
    }

    @Test
    void tlsRunsAgainstTheEmbeddedBrokerOrTheStandInButNoExternalCluster() {
        PerfOptions standIn = PerfOptions.parse(new String[] {"--tls", "--broker=standin"});
        assertThat(standIn.tls()).isTrue();
        assertThat(standIn.out().toString()).endsWith("standin-tls");
        assertThat(standIn.matrix()).hasSize(4).allMatch(cell -> cell.name().equals(Cell.TLS));
        assertThatThrownBy(() -> PerfOptions.parse(new String[] {"--tls", "--bootstrap-servers=localhost:9092"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--tls");
    }

    @Test
    void threeWarmUpRoundsByDefaultOneWhenQuickAndAtLeastOne() {
        assertThat(PerfOptions.parse(new String[0]).warmups()).isEqualTo(3);
        assertThat(PerfOptions.parse(new String[] {"--quick"}).warmups()).isEqualTo(1);
        assertThat(PerfOptions.parse(new String[] {"--warmups=5"}).warmups()).isEqualTo(5);
        assertThatThrownBy(() -> PerfOptions.parse(new String[] {"--warmups=0"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--warmups");
    }

    @Test
    void withoutTlsNoCellIsATlsCell() {
        assertThat(PerfOptions.parse(new String[0]).matrix()).noneMatch(cell -> cell.name().equals(Cell.TLS));
    }

    @Test
    void transactionsModeWritesItsOwnResultsAndNeedsARealBroker() {
        PerfOptions options = PerfOptions.parse(new String[] {"--mode=transactions"});
        assertThat(options.transactionsMode()).isTrue();
        assertThat(options.out().toString()).endsWith("transactions");
        assertThat(PerfOptions.parse(new String[0]).transactionsMode()).isFalse();
        assertThatThrownBy(() -> PerfOptions.parse(new String[] {"--mode=transactions", "--broker=standin"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stand-in");
        assertThatThrownBy(() -> PerfOptions.parse(new String[] {"--mode=bogus"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--mode");
    }

    @Test
    void timingsOverheadModeWritesItsOwnResults() {
        PerfOptions options = PerfOptions.parse(new String[] {"--mode=timings-overhead", "--broker=standin"});
        assertThat(options.mode()).isEqualTo(PerfOptions.TIMINGS_OVERHEAD);
        assertThat(options.transactionsMode()).isFalse();
        assertThat(options.out().toString()).endsWith("timings-overhead");
    }

    @Test
    void weakCellsRunIssue16sCellsFiveRoundsIntoTheirOwnDirectory() {
        PerfOptions options = PerfOptions.parse(new String[] {"--weak-cells", "--broker=standin"});
        assertThat(options.matrix()).extracting(Cell::label).containsExactly(
                "1KiB acks=all linger=5 batch=64K none idem",
                "100B acks=all linger=0 batch=16K none idem @20000/s",
                "100B acks=all linger=5 batch=16K none idem @20000/s");
        assertThat(options.rounds()).isEqualTo(5);
        assertThat(options.out().toString()).endsWith("standin-weak");
        assertThat(PerfOptions.parse(new String[] {"--weak-cells", "--rounds=7"}).rounds()).isEqualTo(7);
        assertThatThrownBy(() -> PerfOptions.parse(new String[] {"--weak-cells", "--cells=100B"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--weak-cells");
    }
}
