package io.metastream.core.meta;

import io.metastream.core.adapt.TabularAlgorithm;
import io.metastream.core.estimate.UntriedActions;
import io.metastream.core.exact.TabularMdp;
import io.metastream.core.task.FrozenLakeFamily;
import io.metastream.core.task.FrozenLakeMap;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TabularMetaTrainerTest {

    private static TabularExperimentConfig config(long seed, int iterations) {
        return TabularExperimentConfig.paper("frozenlake-high", TabularAlgorithm.ALG1, seed).withIterations(iterations);
    }

    @Test
    void sameSeedGivesBitIdenticalMetaPriorsAndOtherSeedsDoNot() {
        List<double[]> a = new ArrayList<>();
        List<double[]> b = new ArrayList<>();
        double[] phiA = new TabularMetaTrainer(config(7, 5)).train(s -> a.add(s.phi())).phi();
        double[] phiB = new TabularMetaTrainer(config(7, 5)).train(s -> b.add(s.phi())).phi();
        double[] phiC = new TabularMetaTrainer(config(8, 5)).train(s -> { }).phi();
        assertThat(a).hasSize(5);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i)).containsExactly(b.get(i));
        }
        assertThat(phiA).containsExactly(phiB);
        assertThat(phiA).isNotEqualTo(phiC);
    }

    @Test
    void metaTrainingRaisesTheExactMetaObjective() {
        TabularExperimentConfig c = config(3, 60);
        List<TabularMdp> mdps = FrozenLakeFamily.highVariance().testTasks().stream().map(FrozenLakeMap::toMdp).toList();
        ExactMetaObjective f = new ExactMetaObjective(mdps, c.alg(), c.lambdaTrain(), Double.NaN);
        double before = f.value(TabularMetaTrainer.initialPhi(c, 16, 4));
        double after = f.value(new TabularMetaTrainer(c).train(s -> { }).phi());
        System.out.printf("exact F(phi) before %.4f after 60 iterations %.4f%n", before, after);
        assertThat(after).isGreaterThan(before + 0.3);
    }

    @Test
    void metaTestStartsFromTheExactReturnOfEachStartingPolicy() {
        TabularExperimentConfig c = config(1, 1);
        List<FrozenLakeMap> tasks = FrozenLakeFamily.highVariance().testTasks().subList(0, 3);
        double[] phi = TabularMetaTrainer.initialPhi(c, 16, 4);
        TabularMetaTest test = new TabularMetaTest(c);
        double[][] bomrl = test.evaluate(TabularMetaTest.Method.BOMRL, phi, tasks);
        double[][] random = test.evaluate(TabularMetaTest.Method.RANDOM_INIT, phi, tasks);
        for (int i = 0; i < tasks.size(); i++) {
            assertThat(bomrl[i]).hasSize(c.testSteps() + 1);
            assertThat(bomrl[i][0]).isEqualTo(TabularMetaTest.exactReturn(tasks.get(i), phi));
            // φ = 0.1 everywhere and θ = 0 are both the uniform policy
            assertThat(random[i][0]).isCloseTo(bomrl[i][0], within(1e-12));
            assertThat(bomrl[i][c.testSteps()]).as("adaptation improves on the uniform policy").isGreaterThan(bomrl[i][0]);
        }
    }

    @Test
    void adamFirstStepMovesEveryCoordinateByTheLearningRateAlongTheGradientSign() {
        double[] phi = {0.1, 0.1, 0.1};
        double[] g = {2.0, -0.5, 1e-3};
        double[] next = new Adam(0.03, 0.9, 0.999, 1e-8).step(phi, g);
        for (int i = 0; i < 3; i++) {
            assertThat(next[i] - phi[i]).isCloseTo(0.03 * Math.signum(g[i]), within(1e-6));
        }
        assertThat(new Sgd(0.5).step(phi, g)).containsExactly(1.1, -0.15, 0.1005);
    }

    @Test
    void invalidConfigNamesTheKey() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TabularExperimentConfig("frozenlake-high",
                        TabularAlgorithm.ALG1, -1, 0.1, 150, 5, 500, 0.3, 1, UntriedActions.ZERO, 0.03, "adam", 0.1, HypergradientKind.IDENTITY,
                        4, 50, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lambda-train");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TabularExperimentConfig.paper("frozenlake-mid",
                TabularAlgorithm.ALG1, 0)).hasMessageContaining("frozenlake-mid");
    }
}
