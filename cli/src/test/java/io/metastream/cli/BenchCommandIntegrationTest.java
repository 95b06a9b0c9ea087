package io.metastream.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code metastream bench} times both sides on its own embedded broker and checks that they agree bit for bit. */
class BenchCommandIntegrationTest {

    @Test
    void benchRunsBothSidesReportsTheirMediansAndRatioAndFindsThemBitIdentical(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("pointnav-tiny.yaml");
        Files.writeString(config, String.join("\n", "experiment-id: bench-tiny", "family: pointnav", "alg: 1", "seed: 5",
                "hidden: 8", "inner-steps: 10", "pre-rollouts: 4", "post-rollouts: 6", "tasks-per-iteration: 3",
                "horizon: 10", "continuation: 3", "fisher-states: 20", "workers: 2", "partitions: 3", ""));
        Path report = dir.resolve("results").resolve("bench.txt");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = MetastreamCommand.execute("bench", "--config", config.toString(), "--rounds", "3", "--threads", "2",
                    "--out", report.toString());
        } finally {
            System.setOut(stdout);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(out).isZero();
        assertThat(out).contains("in-process reference loop (2 threads)", "pipeline (embedded broker, 2 workers, 3 partitions",
                "median of rounds 2..3", "ratio in-process / pipeline: ", "meta-priors of the two sides: bit-identical",
                "timeAdapt", "timeMetaStep");
        assertThat(out.lines().filter(l -> l.startsWith("  round ")).count()).isEqualTo(6);
        assertThat(Files.readString(report)).startsWith("metastream bench: ").contains("bit-identical");
    }

    @Test
    void benchRefusesTooFewRoundsInOneLine() {
        String err = ContinuousExperimentFileTest.runCommand("bench", "--config", "../configs/pointnav-alg1.yaml",
                "--rounds", "1");
        assertThat(err).isEqualTo("metastream: --rounds must be at least 2 (round 1 is warm-up), got 1");
    }
}
