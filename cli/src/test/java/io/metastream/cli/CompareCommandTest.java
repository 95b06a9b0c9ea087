package io.metastream.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code compare} writes one combined table and plot of several methods over seeds; bad methods are one-line errors. */
class CompareCommandTest {

    @Test
    void comparesMethodsOnFrozenLakeHighOverThreeSeeds(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("cmp");
        int code = MetastreamCommand.execute("compare", "--config", "../configs/frozenlake-high-alg1.yaml",
                "--methods", "bomrl-alg1,bomrl-alg2,random-init,policy-gradient", "--seeds", "3",
                "--set", "iterations=4", "--set", "episodes=60", "--set", "sarsa-sweeps=2", "--set", "test-steps=2",
                "--out", out.toString());
        assertThat(code).isZero();
        List<String> rows = Files.readAllLines(out.resolve("compare.csv"));
        assertThat(rows.get(0)).isEqualTo("method,family,alg,step,mean,std,seeds");
        assertThat(rows).hasSize(1 + 4 * 3);
        assertThat(rows.subList(1, rows.size())).allSatisfy(r -> assertThat(r).contains(",frozenlake-high,").endsWith(",3"));
        assertThat(rows).filteredOn(r -> r.startsWith("bomrl,frozenlake-high,alg2,1,")).hasSize(1);
        assertThat(rows).filteredOn(r -> r.startsWith("random-init,frozenlake-high,alg1,")).hasSize(3);
        // three seeds differ: the BO-MRL curves have a spread after one step
        String alg1Step1 = rows.stream().filter(r -> r.startsWith("bomrl,frozenlake-high,alg1,1,")).findFirst().orElseThrow();
        assertThat(Double.parseDouble(alg1Step1.split(",")[5])).isPositive();
        assertThat(out.resolve("compare.png")).isNotEmptyFile();
    }

    /**
     * On a continuous config every baseline is meta-trained in-process and meta-tested with its own
     * adaptation; the table has the three evaluation modes, and the BO-MRL rows of seed 0 equal core's
     * reference loop and meta-test run directly.
     */
    @Test
    void comparesEveryContinuousMethodOnPointNavigation(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("cmp");
        String[] small = {"--set", "iterations=2", "--set", "hidden=8", "--set", "pre-rollouts=6", "--set",
                "post-rollouts=10", "--set", "tasks-per-iteration=3", "--set", "horizon=10", "--set", "continuation=5",
                "--set", "inner-steps=10", "--set", "test-steps=1", "--set", "eval-episodes=2"};
        List<String> args = new java.util.ArrayList<>(List.of("compare", "--config", "../configs/pointnav-alg1.yaml",
                "--methods", "bomrl-alg1,maml-vpg,maml-trpo,promp,e-maml,random-init", "--seeds", "1", "--parallelism", "2",
                "--out", out.toString()));
        args.addAll(List.of(small));
        assertThat(MetastreamCommand.execute(args.toArray(String[]::new))).isZero();
        List<String> rows = Files.readAllLines(out.resolve("compare.csv"));
        assertThat(rows.get(0)).isEqualTo("method,family,alg,mode,step,mean,std,seeds");
        assertThat(rows).hasSize(1 + 6 * 3 * 2);
        for (String m : List.of("bomrl-alg1", "maml-vpg", "maml-trpo", "promp", "e-maml", "random-init")) {
            assertThat(rows).as(m).filteredOn(r -> r.startsWith(m + ",pointnav,")).hasSize(6);
        }
        assertThat(out.resolve("compare.png")).isNotEmptyFile();

        // the BO-MRL row is core's reference loop + meta-test, nothing else
        List<String> raw = new java.util.ArrayList<>();
        for (int i = 0; i < small.length; i += 2) {
            raw.add(small[i + 1]);
        }
        var exp = ((ContinuousExperimentFile) RunConfig.load(Path.of("../configs/pointnav-alg1.yaml"), raw)).experiment();
        var family = new io.metastream.core.task.PointNavigationFamily();
        var trained = new io.metastream.core.meta.ContinuousMetaTrainer<>(exp, family).train(s -> { });
        var returns = new io.metastream.core.meta.ContinuousMetaTest<>(exp, family).evaluatePrior(trained, family.testTasks());
        String detStep1 = rows.stream().filter(r -> r.startsWith("bomrl-alg1,pointnav,alg1,deterministic,1,"))
                .findFirst().orElseThrow();
        assertThat(Double.parseDouble(detStep1.split(",")[5])).isCloseTo(returns.meanDeterministic()[1],
                org.assertj.core.api.Assertions.within(1e-6));
        String maxStep1 = rows.stream().filter(r -> r.startsWith("bomrl-alg1,pointnav,alg1,max,1,"))
                .findFirst().orElseThrow();
        assertThat(Double.parseDouble(maxStep1.split(",")[5])).isCloseTo(returns.meanMax()[1],
                org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void unknownAndContinuousOnlyMethodsAreOneLineErrors() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true));
        try {
            assertThat(MetastreamCommand.execute("compare", "--config", "../configs/frozenlake-high-alg1.yaml",
                    "--methods", "bomrl-alg1,mamal")).isEqualTo(1);
            assertThat(MetastreamCommand.execute("compare", "--config", "../configs/frozenlake-high-alg1.yaml",
                    "--methods", "promp")).isEqualTo(1);
        } finally {
            System.setErr(old);
        }
        assertThat(err.toString()).contains("unknown method 'mamal'").contains("'promp' is a continuous-control baseline");
        err.reset();
        System.setErr(new PrintStream(err, true));
        try {
            assertThat(MetastreamCommand.execute("compare", "--config", "../configs/pointnav-alg1.yaml",
                    "--methods", "policy-gradient")).isEqualTo(1);
        } finally {
            System.setErr(old);
        }
        assertThat(err.toString()).contains("unknown method 'policy-gradient' for the continuous family pointnav");
    }
}
