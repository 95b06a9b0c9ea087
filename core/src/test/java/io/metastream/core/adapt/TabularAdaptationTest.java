package io.metastream.core.adapt;

import io.metastream.core.Numerics;
import io.metastream.core.estimate.TabularEstimates;
import io.metastream.core.estimate.TabularRollouts;
import io.metastream.core.exact.PolicyEvaluation;
import io.metastream.core.exact.TabularMdp;
import io.metastream.core.policy.TabularSoftmaxPolicy;
import io.metastream.core.task.FrozenLake;
import io.metastream.core.task.FrozenLakeFamily;
import io.metastream.core.task.FrozenLakeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TabularAdaptationTest {

    /** Exact-Q and sampled-Q problems over both published families. */
    private static List<TabularLowerLevel> problems(TabularAlgorithm alg, double lambda) {
        List<TabularLowerLevel> out = new ArrayList<>();
        long seed = 1;
        for (FrozenLakeFamily family : List.of(FrozenLakeFamily.highVariance(), FrozenLakeFamily.lowVariance())) {
            for (FrozenLakeMap map : family.testTasks().subList(0, 4)) {
                double[] phi = Numerics.gaussian(64, 1.0, seed++);
                double[] pi = TabularSoftmaxPolicy.probabilities(phi, 16, 4);
                TabularMdp mdp = map.toMdp();
                out.add(TabularLowerLevel.of(alg, phi, TabularEstimates.exact(PolicyEvaluation.of(mdp, pi)), lambda));
                var episodes = TabularRollouts.collect(new FrozenLake(map), new TabularSoftmaxPolicy(16, 4, phi), seed, 0, 200);
                out.add(TabularLowerLevel.of(alg, phi,
                        TabularEstimates.fromSamples(episodes, pi, 16, 4, mdp.gamma(), TabularEstimates.SARSA_STEP), lambda));
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.05, 0.2, 1.0, 5.0})
    void alg2ClosedFormMatchesIterativeSolve(double lambda) {
        for (TabularLowerLevel pr : problems(TabularAlgorithm.ALG2, lambda)) {
            double[] closed = TabularSoftmaxPolicy.probabilities(TabularAdaptation.solve(pr), 16, 4);
            double[] iterative = TabularSoftmaxPolicy.probabilities(TabularAdaptation.solveIterative(pr), 16, 4);
            assertThat(Numerics.maxAbsDiff(closed, iterative)).isLessThanOrEqualTo(1e-8);
            assertThat(TabularAdaptation.stationarityResidual(pr, TabularAdaptation.solve(pr))).isLessThanOrEqualTo(1e-8);
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.05, 0.1, 1.0, 5.0})
    void alg1SatisfiesPerStateOptimalityConditionAndMatchesNewtonOnTheObjective(double lambda) {
        for (TabularLowerLevel pr : problems(TabularAlgorithm.ALG1, lambda)) {
            double[] theta = TabularAdaptation.solve(pr);
            assertThat(TabularAdaptation.stationarityResidual(pr, theta)).isLessThanOrEqualTo(1e-8);
            double[] viaNewton = TabularSoftmaxPolicy.probabilities(TabularAdaptation.solveIterative(pr), 16, 4);
            assertThat(Numerics.maxAbsDiff(TabularSoftmaxPolicy.probabilities(theta, 16, 4), viaNewton)).isLessThanOrEqualTo(1e-8);
        }
    }

    @Test
    void alg3ConvergesToAStationaryPoint() {
        for (TabularLowerLevel pr : problems(TabularAlgorithm.ALG3, 0.5)) {
            assertThat(TabularAdaptation.stationarityResidual(pr, TabularAdaptation.solve(pr))).isLessThanOrEqualTo(1e-10);
        }
    }

    @Test
    void alg3WithLargeLambdaIsOnePolicyGradientStepOfSizeOneOverTwoLambda() {
        // Linearising the surrogate with D = ‖θ − φ‖² gives θ − φ = ν π_φ Â / (2λ): MAML's inner step.
        TabularLowerLevel pr = problems(TabularAlgorithm.ALG3, 1e4).get(0);
        double[] theta = TabularAdaptation.solve(pr);
        double[] phi = pr.phi();
        double[] pi = TabularSoftmaxPolicy.probabilities(phi, 16, 4);
        double[] adv = TabularEstimates.advantage(pr.q(), pi, 16, 4);
        for (int i = 0; i < 64; i++) {
            double step = pr.nu()[i / 4] * pi[i] * adv[i] / (2 * pr.lambda());
            assertThat(theta[i] - phi[i]).isCloseTo(step, within(1e-7 * Math.abs(step) * 1e3 + 1e-12));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ALG1", "ALG2", "ALG3"})
    void constrainedSolveMeetsTheBudgetWhenActive(String name) {
        TabularAlgorithm alg = TabularAlgorithm.valueOf(name);
        double delta = alg == TabularAlgorithm.ALG3 ? 0.5 : 0.02;
        for (TabularLowerLevel pr : problems(alg, 1.0)) {
            ConstrainedAdaptation.Result r = ConstrainedAdaptation.solve(pr, delta);
            assertThat(r.active()).isTrue();
            assertThat(r.divergence()).isCloseTo(delta, within(1e-10));
            assertThat(TabularAdaptation.stationarityResidual(r.problem(), r.theta())).isLessThanOrEqualTo(1e-8);
        }
    }

    @Test
    void constrainedSolveRejectsABudgetThatCanNeverBind() {
        TabularLowerLevel pr = problems(TabularAlgorithm.ALG2, 1.0).get(0);
        assertThatThrownBy(() -> ConstrainedAdaptation.solve(pr, 1e6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("never binding");
        assertThatThrownBy(() -> ConstrainedAdaptation.solve(pr, -1)).hasMessageContaining("delta");
    }
}
