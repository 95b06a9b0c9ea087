package io.metastream.cli;

import io.metastream.broker.EmbeddedKafkaBroker;
import io.metastream.broker.SharedKafkaBroker;
import io.metastream.core.estimate.RunningMoments;
import io.metastream.core.meta.ContinuousExperimentConfig;
import io.metastream.core.meta.ContinuousMetaTest;
import io.metastream.core.meta.ContinuousMetaTrainer;
import io.metastream.core.task.PointGoal;
import io.metastream.core.task.PointNavigationFamily;
import io.metastream.trainer.ExperimentLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code metastream run} on a continuous config file (point navigation shrunk to seconds) through
 * the real broker: exit 0; the final meta-prior in {@code policies} is the in-process reference
 * loop's bit for bit; {@code meta-test.csv} holds the deterministic and stochastic returns of BO-MRL
 * and random initialisation after k = 0..testSteps steps, equal to core's {@link ContinuousMetaTest}
 * on the reference result; {@code report} rebuilds progress.csv, meta-test.csv and the manifest from the
 * topics identically (with {@code --validate-every}, also the validation and the best version's meta-test);
 * {@code replay} re-runs the adapter and trainer from the recorded trajectories to the same meta-priors.
 */
@ExtendWith(SharedKafkaBroker.class)
class ContinuousRunCommandIntegrationTest {

    @Test
    void runTrainsAContinuousConfigThroughKafkaAndWritesTheMetaTest(EmbeddedKafkaBroker broker, @TempDir Path dir)
            throws Exception {
        String id = SharedKafkaBroker.uniqueName("pointnav-run");
        Path config = dir.resolve("pointnav-tiny.yaml");
        Files.writeString(config, String.join("\n", "experiment-id: " + id, "family: pointnav", "alg: 1", "seed: 3",
                "hidden: 8", "inner-steps: 20", "pre-rollouts: 6", "post-rollouts: 10", "tasks-per-iteration: 3",
                "horizon: 10", "continuation: 5", "iterations: 3", "test-steps: 2", "eval-episodes: 2", "fisher-states: 40",
                "workers: 2", "partitions: 3", ""));
        ContinuousExperimentFile cf = (ContinuousExperimentFile) RunConfig.load(config, List.of());
        ContinuousExperimentConfig exp = cf.experiment();
        ContinuousMetaTrainer.Result ref = new ContinuousMetaTrainer<>(exp, new PointNavigationFamily()).train(s -> { });

        Path out = dir.resolve("run");
        assertThat(MetastreamCommand.execute("run", "--config", config.toString(), "--bootstrap-servers",
                broker.bootstrapServers(), "--out", out.toString())).isZero();

        ExperimentLog log = ExperimentLog.read(broker.bootstrapServers(), Map.of(), id);
        assertThat(log.priorParams(exp.iterations())).as("final meta-prior in policies").containsExactly(ref.phi());
        assertThat(log.manifest().getConfigText()).isEqualTo(cf.canonicalText());

        ContinuousMetaTest<PointGoal> test = new ContinuousMetaTest<>(exp, new PointNavigationFamily());
        List<String> expected = new ArrayList<>(List.of("method,mode,step,mean"));
        for (ContinuousMetaTest.Method m : ContinuousMetaTest.Method.values()) {
            ContinuousMetaTest.Returns r = test.evaluate(m, ref, new PointNavigationFamily().testTasks());
            addRows(expected, m.label(), "deterministic", r.meanDeterministic());
            addRows(expected, m.label(), "stochastic", r.meanStochastic());
            addRows(expected, m.label(), "max", r.meanMax());
        }
        List<String> csv = Files.readAllLines(out.resolve("meta-test.csv"));
        assertThat(csv).hasSize(1 + 2 * 3 * (exp.testSteps() + 1));
        assertThat(csv).containsExactlyElementsOf(expected);
        assertThat(Files.readAllLines(out.resolve("progress.csv"))).hasSize(1 + exp.iterations());
        assertRoundTimings(Files.readAllLines(out.resolve("progress.csv")));
        assertThat(Files.readString(out.resolve("manifest.txt"))).contains("hidden: 8\n", id + ".trajectories: ");
        assertThat(out.resolve("progress.png")).isNotEmptyFile();
        assertThat(out.resolve("adaptation.png")).isNotEmptyFile();

        // report rebuilds the run directory from the topics alone, identically
        Path report = dir.resolve("report");
        assertThat(MetastreamCommand.execute("report", "--experiment", id, "--bootstrap-servers", broker.bootstrapServers(),
                "--out", report.toString())).isZero();
        for (String f : new String[]{"progress.csv", "meta-test.csv", "manifest.txt"}) {
            assertThat(report.resolve(f)).as(f).hasSameTextualContentAs(out.resolve(f));
        }
        assertThat(report.resolve("adaptation.png")).isNotEmptyFile();

        // replay recomputes every adaptation, hypergradient and meta-step from the recorded trajectories
        java.io.ByteArrayOutputStream replayOut = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(replayOut, true, java.nio.charset.StandardCharsets.UTF_8));
        int replayExit;
        try {
            replayExit = MetastreamCommand.execute("replay", "--experiment", id, "--as", id + "-replay",
                    "--bootstrap-servers", broker.bootstrapServers());
        } finally {
            System.setOut(stdout);
        }
        assertThat(replayExit).as(replayOut.toString()).isZero();
        assertThat(replayOut.toString()).contains("IDENTICAL — " + (exp.iterations() + 1) + " meta-prior versions and "
                + exp.iterations() + " trainer decisions compared bit for bit");
        assertThat(ExperimentLog.read(broker.bootstrapServers(), Map.of(), id + "-replay").priorParams(exp.iterations()))
                .containsExactly(ref.phi());
    }

    /**
     * Every round's critical path (progress.csv, from the metrics records): each phase a time ≥ 0 (the first
     * round has no previous commit), the phases along the path within the round's wall time, and the adaptation
     * and hypergradient compute of the round's tasks recorded.
     */
    private static void assertRoundTimings(List<String> progress) {
        List<String> header = List.of(progress.get(0).split(","));
        assertThat(header).containsSubsequence("round_s", "commit_s", "pre_collect_s", "adapt_wait_s", "adapt_s",
                "post_collect_s", "hypergradient_wait_s", "hypergradient_s", "gradient_wait_s", "meta_step_s", "other_s",
                "adapt_core_s", "hypergradient_core_s");
        List<String> path = List.of("pre_collect_s", "adapt_wait_s", "adapt_s", "post_collect_s", "hypergradient_wait_s",
                "hypergradient_s", "gradient_wait_s", "meta_step_s");
        for (String line : progress.subList(1, progress.size())) {
            String[] cells = line.split(",");
            java.util.function.ToDoubleFunction<String> col = c -> Double.parseDouble(cells[header.indexOf(c)]);
            double sum = 0;
            for (String c : path) {
                assertThat(col.applyAsDouble(c)).as("%s in %s", c, line).isBetween(-0.002, 600.0);
                sum += col.applyAsDouble(c);
            }
            assertThat(sum).as(line).isLessThanOrEqualTo(col.applyAsDouble("round_s") + 0.01);
            assertThat(col.applyAsDouble("adapt_core_s")).as(line).isGreaterThan(0);
            assertThat(col.applyAsDouble("hypergradient_core_s")).as(line).isGreaterThan(0);
            if (!cells[0].equals("0")) {
                assertThat(col.applyAsDouble("commit_s")).as(line).isBetween(0.0, 60.0);
                assertThat(col.applyAsDouble("other_s")).as(line).isBetween(-0.01, 60.0);
            }
        }
    }

    /**
     * {@code validate-every: 1}: every meta-prior version of the log is scored on the validation goals
     * ({@code validation.csv}), and the meta-test is that of the best one (max stochastic return after one
     * adaptation, earliest on ties), with the normaliser its record carries.
     */
    @Test
    void validationPicksTheBestMetaPriorAndTheMetaTestUsesIt(EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        String id = SharedKafkaBroker.uniqueName("pointnav-validate");
        Path config = dir.resolve("pointnav-validate.yaml");
        Files.writeString(config, String.join("\n", "experiment-id: " + id, "family: pointnav", "alg: 1", "seed: 5",
                "hidden: 8", "inner-steps: 20", "pre-rollouts: 6", "post-rollouts: 10", "tasks-per-iteration: 3",
                "horizon: 10", "continuation: 5", "iterations: 3", "test-steps: 1", "eval-episodes: 2", "fisher-states: 40",
                "validate-every: 1", ""));
        ContinuousExperimentFile cf = (ContinuousExperimentFile) RunConfig.load(config, List.of());
        assertThat(cf.canonicalText()).doesNotContain("validate-every");
        Path out = dir.resolve("run");
        assertThat(MetastreamCommand.execute("run", "--config", config.toString(), "--bootstrap-servers",
                broker.bootstrapServers(), "--out", out.toString())).isZero();

        ExperimentLog log = ExperimentLog.read(broker.bootstrapServers(), Map.of(), id);
        List<String> validation = Files.readAllLines(out.resolve("validation.csv"));
        assertThat(validation.get(0)).isEqualTo("version,deterministic,stochastic");
        assertThat(validation).hasSize(1 + log.priors().size());
        long best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (String row : validation.subList(1, validation.size())) {
            String[] f = row.split(",");
            if (Double.parseDouble(f[2]) > bestScore) {
                bestScore = Double.parseDouble(f[2]);
                best = Long.parseLong(f[0]);
            }
        }
        var record = log.priors().get(best);
        RunningMoments moments = record.getObservationCount() == 0 ? RunningMoments.empty(2)
                : new RunningMoments(record.getObservationCount(),
                record.getObservationMean().stream().mapToDouble(Double::doubleValue).toArray(),
                record.getObservationM2().stream().mapToDouble(Double::doubleValue).toArray());
        ContinuousExperimentConfig exp = cf.experiment();
        var normalizer = new io.metastream.core.meta.ContinuousBoMrl(exp, 2, 2).normalizer(moments);
        ContinuousMetaTest.Returns r = new ContinuousMetaTest<>(exp, new PointNavigationFamily())
                .evaluate(log.priorParams(best), normalizer, new PointNavigationFamily().testTasks());
        List<String> expected = new ArrayList<>();
        addRows(expected, "bomrl", "deterministic", r.meanDeterministic());
        addRows(expected, "bomrl", "stochastic", r.meanStochastic());
        addRows(expected, "bomrl", "max", r.meanMax());
        assertThat(Files.readAllLines(out.resolve("meta-test.csv")).subList(1, 1 + expected.size()))
                .as("meta-test of the best version v%d", best).containsExactlyElementsOf(expected);

        // validate-every is not in the recorded config: report takes it as an option and then agrees with run
        Path report = dir.resolve("report");
        assertThat(MetastreamCommand.execute("report", "--experiment", id, "--bootstrap-servers", broker.bootstrapServers(),
                "--validate-every", "1", "--out", report.toString())).isZero();
        for (String f : new String[]{"validation.csv", "meta-test.csv", "progress.csv"}) {
            assertThat(report.resolve(f)).as(f).hasSameTextualContentAs(out.resolve(f));
        }
    }

    private static void addRows(List<String> rows, String method, String mode, double[] curve) {
        for (int k = 0; k < curve.length; k++) {
            rows.add(String.format(Locale.ROOT, "%s,%s,%d,%.6f", method, mode, k, curve[k]));
        }
    }
}
