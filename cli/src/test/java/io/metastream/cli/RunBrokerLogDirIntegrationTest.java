package io.metastream.cli;

import io.metastream.broker.EmbeddedKafkaBroker;
import io.metastream.trainer.ExperimentLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded broker's log outlives {@code run}: by default under the run directory ({@code kafka-log}), or in
 * {@code --broker-log-dir DIR}. A broker started later on it serves the experiment to {@code report} (progress.csv
 * identical to the run's) and {@code replay} (identical), and the same run command finds it completed; a run
 * directory holding a run whose log is elsewhere is never overwritten; {@code --broker-log-dir} with
 * {@code --bootstrap-servers} is a one-line error.
 */
class RunBrokerLogDirIntegrationTest {

    /** {@code run} of the point-navigation config, shrunk: its log is kept in the run directory and serves report and replay. */
    @Test
    void byDefaultTheLogIsKeptInTheRunDirectoryAndServesReportAndReplay(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        String[] run = {"run", "--config", "../configs/pointnav-alg1.yaml", "--set", "experiment-id=pn-kept", "--set",
                "iterations=2", "--set", "tasks-per-iteration=2", "--set", "pre-rollouts=4", "--set", "post-rollouts=6",
                "--set", "hidden=8", "--set", "test-steps=1", "--set", "eval-episodes=1", "--set", "workers=1", "--out",
                out.toString()};
        CapturedCommand.Result first = CapturedCommand.run(run);
        assertThat(first.exit()).as(first.err()).isZero();
        Path log = out.resolve("kafka-log");
        assertThat(first.out()).contains("the embedded broker's log is kept in " + log + " (")
                .contains("'metastream broker --log-dir " + log + "' serves it");
        assertThat(log.resolve("metadata")).isDirectory();

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().logDir(log).build().start()) {
            String b = broker.bootstrapServers();
            assertThat(ExperimentLog.read(b, Map.of(), "pn-kept").decisions()).hasSize(2);
            Path report = dir.resolve("report");
            CapturedCommand.Result r = CapturedCommand.run("report", "--experiment", "pn-kept", "--bootstrap-servers", b,
                    "--out", report.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(report.resolve("progress.csv")).hasSameTextualContentAs(out.resolve("progress.csv"));
            CapturedCommand.Result replay = CapturedCommand.run("replay", "--experiment", "pn-kept", "--as", "pn-kept-replay",
                    "--bootstrap-servers", b);
            assertThat(replay.exit()).as(replay.err()).isZero();
            assertThat(replay.out()).contains("replay of pn-kept as pn-kept-replay: IDENTICAL");
        }
        // the directory holds that run: a fresh start with a log elsewhere is refused, the same command resumes (done)
        String[] ephemeral = java.util.stream.Stream.concat(java.util.Arrays.stream(run), java.util.stream.Stream.of("--ephemeral"))
                .toArray(String[]::new);
        assertThat(ContinuousExperimentFileTest.runCommand(ephemeral)).isEqualTo("metastream: run directory " + out
                + " holds an earlier run of pn-kept whose Kafka log is not on this broker (it ran with --ephemeral, another"
                + " --broker-log-dir or another cluster): nothing there is overwritten; choose another --out, or resume that"
                + " run where its log is");
        CapturedCommand.Result again = CapturedCommand.run(run);
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("experiment pn-kept already completed its 2 meta-iterations");
        assertThat(ContinuousExperimentFileTest.runCommand("run", "--config", "../configs/pointnav-alg1.yaml", "--ephemeral",
                "--broker-log-dir", dir.toString())).isEqualTo("metastream: --ephemeral deletes the embedded broker's log; it"
                + " goes with neither --broker-log-dir nor --bootstrap-servers");
    }

    /** {@code demo} keeps its broker's log in its run directory too; {@code --ephemeral} does not. */
    @Test
    void theDemoKeepsItsLogUnlessEphemeral(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("demo");
        CapturedCommand.Result demo = CapturedCommand.run("demo", "--iterations", "2", "--episodes", "20", "--out", out.toString());
        assertThat(demo.exit()).as(demo.err()).isZero();
        assertThat(out.resolve("kafka-log").resolve("metadata")).isDirectory();
        assertThat(out.resolve("manifest.txt")).isRegularFile();
        assertThat(demo.out()).contains("the embedded broker's log is kept in " + out.resolve("kafka-log"));
        Path gone = dir.resolve("ephemeral");
        CapturedCommand.Result ephemeral = CapturedCommand.run("demo", "--iterations", "1", "--episodes", "20", "--out",
                gone.toString(), "--ephemeral");
        assertThat(ephemeral.exit()).as(ephemeral.err()).isZero();
        assertThat(gone.resolve("manifest.txt")).isRegularFile();
        assertThat(gone.resolve("kafka-log")).doesNotExist();
        assertThat(ephemeral.out()).doesNotContain("log is kept");
    }

    @Test
    void theEmbeddedBrokersLogOutlivesTheRun(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("experiment.yaml"), """
                experiment-id: kept-log
                family: frozenlake-low
                alg: 2
                seed: 3
                iterations: 2
                tasks-per-iteration: 2
                episodes: 30
                sarsa-sweeps: 2
                test-steps: 1
                workers: 1
                """);
        Path log = dir.resolve("kafka");
        Path out = dir.resolve("run");
        String[] run = {"run", "--config", config.toString(), "--broker-log-dir", log.toString(), "--out", out.toString()};
        assertThat(MetastreamCommand.execute(run)).isZero();
        assertThat(log.resolve("metadata")).isDirectory();   // the KRaft log, kept

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().logDir(log).build().start()) {
            assertThat(ExperimentLog.read(broker.bootstrapServers(), Map.of(), "kept-log").decisions()).hasSize(2);
            Path report = dir.resolve("report");
            assertThat(MetastreamCommand.execute("report", "--experiment", "kept-log", "--bootstrap-servers",
                    broker.bootstrapServers(), "--out", report.toString())).isZero();
            assertThat(report.resolve("progress.csv")).hasSameTextualContentAs(out.resolve("progress.csv"));
        }
        // the same command again: the experiment is in the kept log, so there is nothing left to train
        java.io.ByteArrayOutputStream again = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(again, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(MetastreamCommand.execute(run)).isZero();
        } finally {
            System.setOut(stdout);
        }
        assertThat(again.toString()).contains("experiment kept-log already completed its 2 meta-iterations");
        assertThat(Files.readAllLines(out.resolve("progress.csv"))).hasSize(1 + 2);

        assertThat(ContinuousExperimentFileTest.runCommand("run", "--config", config.toString(), "--broker-log-dir",
                log.toString(), "--bootstrap-servers", "127.0.0.1:1")).isEqualTo("metastream: --broker-log-dir is for the"
                + " embedded broker; with --bootstrap-servers the cluster keeps the log: drop one of the two");
        assertThat(List.of(log.toFile().list())).isNotEmpty();
    }
}
