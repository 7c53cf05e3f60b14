package dev.courier.benchmarks.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcCountersTests {

    @Test
    void countsTheCallersWriteSyscallsPerThousandRecords(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux /proc only");
        ProcCounters counters = ProcCounters.start();
        assertThat(counters).isNotNull();
        try (FileOutputStream out = new FileOutputStream(dir.resolve("f").toFile())) {
            for (int i = 0; i < 2_000; i++) {
                out.write(new byte[10]); // unbuffered: one write(2) each
            }
        }

        String report = counters.perRecord(1_000);
        Matcher caller = Pattern.compile("caller .* writes ([0-9.]+) \\(([0-9]+) B each\\)").matcher(report);
        assertThat(caller.find()).as(report).isTrue();
        assertThat(Double.parseDouble(caller.group(1))).isGreaterThanOrEqualTo(2_000);
        assertThat(Integer.parseInt(caller.group(2))).isLessThanOrEqualTo(10);
    }
}
