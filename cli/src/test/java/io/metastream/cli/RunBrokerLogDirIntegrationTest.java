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
 * {@code run --broker-log-dir DIR}: the embedded broker's log outlives the run, so a broker started later on
 * DIR serves the experiment to {@code report} (progress.csv identical to the run's) and the same run
 * command finds it completed; {@code --broker-log-dir} with {@code --bootstrap-servers} is a one-line error.
 */
class RunBrokerLogDirIntegrationTest {

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
