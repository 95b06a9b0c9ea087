package io.metastream.cli;

import io.metastream.broker.EmbeddedKafkaBroker;
import io.metastream.broker.SharedKafkaBroker;
import io.metastream.core.meta.TabularMetaTrainer;
import io.metastream.trainer.ExperimentLog;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM during {@code metastream run} (every role in one JVM) stops it cleanly: the trainer
 * returns at its next committed point, the roles close, the JVM exits with the SIGTERM status
 * (143) well before the run would have ended, every finished round is committed in the log, and
 * running the same command again resumes the experiment to meta-priors equal to the reference.
 */
@Tag("fault")
@ExtendWith(SharedKafkaBroker.class)
class GracefulStopIntegrationTest {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void sigtermDuringARunExitsCleanlyWithCommittedStateAndTheRunResumes(EmbeddedKafkaBroker broker) throws Exception {
        String id = SharedKafkaBroker.uniqueName("sigterm");
        Path config = Files.writeString(dir.resolve("experiment.yaml"), """
                experiment-id: %s
                family: frozenlake-high
                alg: 1
                seed: 4
                iterations: 8
                tasks-per-iteration: 3
                episodes: 60
                sarsa-sweeps: 5
                test-steps: 1
                workers: 2
                """.formatted(id));
        String bootstrap = broker.bootstrapServers();
        List<String> args = List.of("run", "--config", config.toString(), "--bootstrap-servers", bootstrap,
                "--out", dir.resolve("out").toString());
        long start = System.nanoTime();
        int decisionsAtStop;
        try (RoleProcess run = RoleProcess.start("run", dir, args)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (ExperimentLog.read(bootstrap, Map.of(), id).decisions().size() < 2) {
                run.assertAlive();
                assertThat(System.nanoTime()).as(run.describe("to finish two rounds")).isLessThan(deadline);
                Thread.sleep(100);
            }
            long stopAt = System.nanoTime();
            int code = run.stop(Duration.ofSeconds(60));
            System.out.printf("SIGTERM after round 2: exit code %d after %.1f s (run started %.1f s before)%n", code,
                    (System.nanoTime() - stopAt) / 1e9, (stopAt - start) / 1e9);
            assertThat(code).as(run.describe("exit status")).isEqualTo(RoleProcess.SIGTERM_EXIT);
            assertThat(run.log()).contains("stop requested (SIGTERM)").contains("stopped before round")
                    .doesNotContain("Exception in thread");
            decisionsAtStop = ExperimentLog.read(bootstrap, Map.of(), id).decisions().size();
            assertThat(decisionsAtStop).as("rounds committed when stopped").isBetween(2, 7);
        }
        // the committed state is a consistent prefix: the same command resumes and finishes the experiment
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(MetastreamCommandRunner.run(out, args.toArray(String[]::new))).isZero();
        assertThat(out.toString()).contains("resuming experiment " + id + " at round " + (decisionsAtStop + 1) + " of 8");
        // the resumed process's progress.csv holds every round, the recorded ones first
        List<String> progress = Files.readAllLines(dir.resolve("out").resolve("progress.csv"));
        assertThat(progress).hasSize(1 + 8);
        for (int round = 0; round < 8; round++) {
            assertThat(progress.get(1 + round)).startsWith(round + "," + (round + 1) + ",");
        }
        ExperimentLog log = ExperimentLog.read(bootstrap, Map.of(), id);
        List<double[]> reference = new ArrayList<>();
        new TabularMetaTrainer(ExperimentFile.load(config, List.of()).experiment()).train(s -> reference.add(s.phi()));
        for (int v = 1; v <= 8; v++) {
            assertThat(log.priorParams(v)).as("meta-prior v%d", v).containsExactly(reference.get(v - 1));
        }
    }

    /**
     * SIGTERM during the in-process meta-test of a continuous run (minutes for MuJoCo) ends it after the
     * test task in progress: exit status 143, no meta-test file, and the message naming 'report'; the
     * training itself is complete in the log.
     */
    @Test
    void sigtermDuringTheContinuousMetaTestEndsItAndKeepsTheTrainedLog(EmbeddedKafkaBroker broker) throws Exception {
        String id = SharedKafkaBroker.uniqueName("sigterm-metatest");
        String bootstrap = broker.bootstrapServers();
        Path out = dir.resolve("continuous-out");
        // the point-navigation config, 2 meta-iterations, and a meta-test made long by many evaluation episodes
        List<String> args = List.of("run", "--config", Path.of("../configs/pointnav-alg1.yaml").toString(),
                "--bootstrap-servers", bootstrap, "--out", out.toString(), "--set", "experiment-id=" + id,
                "--set", "iterations=2", "--set", "tasks-per-iteration=2", "--set", "eval-episodes=2000");
        try (RoleProcess run = RoleProcess.start("run-metatest", dir, args)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (!run.log().contains("test task 1/")) {
                run.assertAlive();
                assertThat(System.nanoTime()).as(run.describe("to finish its first test task")).isLessThan(deadline);
                Thread.sleep(100);
            }
            int code = run.stop(Duration.ofSeconds(60));
            assertThat(code).as(run.describe("exit status")).isEqualTo(RoleProcess.SIGTERM_EXIT);
            String log = run.log();
            assertThat(log).contains("stop requested (SIGTERM)").contains("meta-test stopped (SIGTERM)")
                    .contains("metastream report --experiment " + id).doesNotContain("Exception in thread");
            assertThat(log.lines().filter(l -> l.contains("meta-test ") && l.contains(" done ("))).as("test tasks finished")
                    .hasSizeLessThan(40);
        }
        assertThat(out.resolve("meta-test.csv")).doesNotExist();
        assertThat(out.resolve("manifest.txt")).exists();
        assertThat(Files.readAllLines(out.resolve("progress.csv"))).hasSize(1 + 2);
        assertThat(ExperimentLog.read(bootstrap, Map.of(), id).priors()).containsKey(2L);
    }

    /** Runs the CLI in this JVM with stdout captured. */
    private static final class MetastreamCommandRunner {
        static int run(ByteArrayOutputStream out, String... args) {
            PrintStream old = System.out;
            System.setOut(new PrintStream(out, true));
            try {
                return MetastreamCommand.execute(args);
            } finally {
                System.setOut(old);
            }
        }
    }
}
