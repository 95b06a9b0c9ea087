package io.metastream.cli;

import io.metastream.core.adapt.TabularAlgorithm;
import io.metastream.core.estimate.UntriedActions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExperimentFileTest {

    @Test
    void everyShippedConfigLoads() throws IOException {
        try (var files = Files.list(Path.of("..", "configs"))) {
            // the continuous configs (pointnav, MuJoCo) are ContinuousExperimentFileTest's
            List<Path> yamls = files.filter(p -> p.toString().endsWith(".yaml"))
                    .filter(p -> RunConfig.load(p, List.of()) instanceof ExperimentFile).toList();
            assertThat(yamls).hasSizeGreaterThanOrEqualTo(5);
            for (Path p : yamls) {
                ExperimentFile ef = ExperimentFile.load(p, List.of());
                assertThat(p.getFileName().toString()).startsWith(ef.experimentId());
                assertThat(ef.experiment().untriedActions()).as(p.toString()).isEqualTo(UntriedActions.STATE_VALUE);
            }
        }
        ExperimentFile low = ExperimentFile.load(Path.of("..", "configs", "frozenlake-low-alg2.yaml"), List.of());
        assertThat(low.experiment().alg()).isEqualTo(TabularAlgorithm.ALG2);
        assertThat(low.experiment().lambdaTest()).isEqualTo(0.1);
        assertThat(low.experiment().lambdaTrain()).isEqualTo(4.0);
    }

    @Test
    void typoInAKeyIsRejectedWithTheKeyNamed(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "experiment-id: x\nfamily: frozenlake-high\nalg: 1\nlamda-train: 3\n");
        assertThatThrownBy(() -> ExperimentFile.load(f, List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown key 'lamda-train'").hasMessageContaining(f.toString());
    }

    @Test
    void badValuesAndMissingKeysNameTheKey(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "experiment-id: x\nfamily: frozenlake-high\nalg: 1\n");
        assertThat(ExperimentFile.load(f, List.of("iterations=7")).experiment().iterations()).isEqualTo(7);
        assertThatThrownBy(() -> ExperimentFile.load(f, List.of("episodes=many"))).hasMessageContaining("'episodes' must be an integer");
        assertThatThrownBy(() -> ExperimentFile.load(f, List.of("lambda-train=-2"))).hasMessageContaining("lambda-train");
        assertThatThrownBy(() -> ExperimentFile.load(f, List.of("alg=9"))).hasMessageContaining("'alg'");
        assertThatThrownBy(() -> ExperimentFile.load(f, List.of("family=frozenlake-mid"))).hasMessageContaining("'family'");
        Files.writeString(f, "family: frozenlake-high\nalg: 1\n");
        assertThatThrownBy(() -> ExperimentFile.load(f, List.of())).hasMessageContaining("missing required key 'experiment-id'");
    }

    /** Integers that do not fit an int are errors naming the key, never wrapped ((int) 4294967302 would be 6). */
    @Test
    void integersBeyondAnIntAreRefusedNotWrapped(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "experiment-id: x\nfamily: frozenlake-high\nalg: 1\n");
        for (String key : List.of("iterations", "episodes", "tasks-per-iteration", "sarsa-sweeps", "test-steps", "workers",
                "partitions", "max-staleness")) {
            assertThatThrownBy(() -> ExperimentFile.load(f, List.of(key + "=4294967302")))
                    .hasMessage("config " + f + ": key '" + key + "' is out of range, got 4294967302");
        }
        assertThatThrownBy(() -> ExperimentFile.load(f, List.of("episodes=4294967396")))
                .hasMessageContaining("key 'episodes' is out of range, got 4294967396");
        Path c = dir.resolve("p.yaml");
        Files.writeString(c, "experiment-id: p\nfamily: pointnav\nalg: 1\n");
        assertThatThrownBy(() -> RunConfig.load(c, List.of("iterations=4294967302")))
                .hasMessageContaining("key 'iterations' is out of range, got 4294967302");
    }

    /** Values that size topics, threads, loops or networks have upper bounds; ids name topics and directories safely. */
    @Test
    void boundsIdsDuplicateKeysAndHugeInputsAreRefusedNamingTheKey(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "experiment-id: x\nfamily: frozenlake-high\nalg: 1\n");
        assertThatThrownBy(() -> ExperimentFile.load(f, List.of("partitions=5000")))
                .hasMessage("config " + f + ": key 'partitions' must be at most 256, got 5000");
        assertThat(ExperimentFile.load(f, List.of("partitions=256")).partitions()).isEqualTo(256);
        assertThatThrownBy(() -> ExperimentFile.load(f, List.of("workers=100000"))).hasMessageContaining("key 'workers' must be at most 256");
        assertThatThrownBy(() -> ExperimentFile.load(f, List.of("episodes=2000000"))).hasMessageContaining("key 'episodes' must be at most");
        Path c = dir.resolve("p.yaml");
        Files.writeString(c, "experiment-id: p\nfamily: pointnav\nalg: 1\n");
        assertThatThrownBy(() -> RunConfig.load(c, List.of("hidden=100000,100000")))
                .hasMessage("config " + c + ": key 'hidden' allows at most 8 layers of at most 2048 units, got '100000,100000'");
        assertThatThrownBy(() -> RunConfig.load(c, List.of("cg-iterations=100000"))).hasMessageContaining("key 'cg-iterations' must be at most");
        for (String id : List.of("..", ".", "a/b", "-x", "a b", "x".repeat(101))) {
            assertThatThrownBy(() -> RunConfig.load(c, List.of("experiment-id=" + id))).as(id)
                    .hasMessageContaining("key 'experiment-id' must be 1..100 letters, digits, '.', '_' or '-'")
                    .message().doesNotContain("\n");
        }
        assertThat(RunConfig.load(c, List.of("experiment-id=" + "x".repeat(100))).experimentId()).hasSize(100);
        assertThatThrownBy(() -> ExperimentFile.load(f, List.of("experiment-id=.."))).hasMessageContaining("key 'experiment-id'");
        Files.writeString(f, "experiment-id: x\nfamily: frozenlake-high\nalg: 1\niterations: 3\niterations: 4\n");
        assertThatThrownBy(() -> ExperimentFile.load(f, List.of()))
                .hasMessage("config " + f + ": a key appears twice (found duplicate key iterations, line 5)");
        Files.writeString(f, "experiment-id: x\nfamily: frozenlake-high\nalg: 1\noptimizer: " + "a".repeat(20_000) + "\n");
        assertThatThrownBy(() -> ExperimentFile.load(f, List.of()))
                .hasMessage("config " + f + ": key 'optimizer': value of 20000 characters, at most 10000");
        Files.writeString(f, "experiment-id: x\n# " + "c".repeat(1_000_001) + "\n");
        assertThatThrownBy(() -> ExperimentFile.load(f, List.of())).hasMessageContaining("characters, a config has at most 1000000");
    }

    @Test
    void commandLineReportsConfigErrorsInOneLine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "experiment-id: x\nfamily: frozenlake-high\nalg: 1\nworkerz: 3\n");
        var err = new java.io.ByteArrayOutputStream();
        var old = System.err;
        System.setErr(new java.io.PrintStream(err));
        try {
            assertThat(MetastreamCommand.execute("trainer", "--config", f.toString(), "--bootstrap-servers", "127.0.0.1:1"))
                    .isEqualTo(1);
        } finally {
            System.setErr(old);
        }
        assertThat(err.toString().strip().lines().count()).isEqualTo(1);
        assertThat(err.toString()).contains("unknown key 'workerz'");
    }

    @Test
    void untriedActionsDefaultsToThePapersZeroAndIsCanonicalOnlyWhenSet(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "experiment-id: x\nfamily: frozenlake-high\nalg: 1\n");
        ExperimentFile plain = ExperimentFile.load(f, List.of());
        assertThat(plain.experiment().untriedActions()).isEqualTo(UntriedActions.ZERO);
        assertThat(plain.canonicalText()).doesNotContain("untried-actions");   // manifests made before the key still match
        ExperimentFile set = ExperimentFile.load(f, List.of("untried-actions=state-value"));
        assertThat(set.canonicalText()).contains("sarsa-sweeps: 1\nuntried-actions: state-value\n");
        ExperimentFile back = ExperimentFile.parse(set.canonicalText(), "canonical", List.of());
        assertThat(back.experiment()).isEqualTo(set.experiment());
        assertThat(back.canonicalText()).isEqualTo(set.canonicalText());
        assertThatThrownBy(() -> ExperimentFile.load(f, List.of("untried-actions=optimistic")))
                .hasMessageContaining(f.toString()).hasMessageContaining("untried-actions must be one of zero, state-value");
    }
}
