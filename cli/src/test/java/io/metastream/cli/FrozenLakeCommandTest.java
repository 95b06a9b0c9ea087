package io.metastream.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FrozenLakeCommandTest {

    @Test
    void shortReproductionWritesTheMetaTestAndGapTables(@TempDir Path dir) throws Exception {
        int code = MetastreamCommand.execute("frozenlake", "--seeds", "2", "--iterations", "3", "--families",
                "frozenlake-high", "--algs", "1", "--sarsa-sweeps", "1", "--parallelism", "1", "--out", dir.toString());
        assertThat(code).isZero();
        List<String> csv = Files.readAllLines(dir.resolve("meta-test.csv"));
        assertThat(csv.get(0)).isEqualTo("method,family,alg,step,mean,std,seeds");
        // 3 methods x 5 steps
        assertThat(csv).hasSize(1 + 15);
        assertThat(csv).anyMatch(l -> l.startsWith("bomrl,frozenlake-high,alg1,4,") && l.endsWith(",2"));
        List<String> gaps = Files.readAllLines(dir.resolve("gap-bound.csv"));
        assertThat(gaps).hasSize(1 + 2 * 10);
        for (String row : gaps.subList(1, gaps.size())) {
            String[] f = row.split(",");
            assertThat(Double.parseDouble(f[6])).as("bound >= exact gap in %s", row)
                    .isGreaterThanOrEqualTo(Double.parseDouble(f[5]) - 1e-12);
        }
        assertThat(Files.readString(dir.resolve("benchmark.txt"))).contains("meta-training frozenlake-high alg1 seed 0");
    }

    @Test
    void badOptionValueIsAOneLineErrorNamingIt() {
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf));
        try {
            int code = MetastreamCommand.execute("frozenlake", "--algs", "7", "--seeds", "1");
            assertThat(code).isEqualTo(1);
        } finally {
            System.setErr(err);
        }
        assertThat(buf.toString()).contains("unknown within-task algorithm '7'").doesNotContain("Exception");
    }
}
