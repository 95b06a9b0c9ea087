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
