package io.metastream.core.exact;

import io.metastream.core.Numerics;
import io.metastream.core.estimate.TabularEstimates;
import io.metastream.core.estimate.TabularRollouts;
import io.metastream.core.estimate.TabularTrajectory;
import io.metastream.core.policy.TabularSoftmaxPolicy;
import io.metastream.core.task.FrozenLake;
import io.metastream.core.task.FrozenLakeMap;
import io.metastream.core.task.FrozenLakeVariance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ExactDynamicProgrammingTest {

    private static final FrozenLakeMap HOLE_FREE = new FrozenLakeMap("SFFF/FFFF/FFFF/FFFG", FrozenLakeVariance.HIGH);

    @Test
    void holeFreeOptimumIsReachingGoalInSixMoves() {
        TabularMdp mdp = HOLE_FREE.toMdp();
        double expected = 0;
        for (int t = 5; t < 49; t++) {
            expected += Math.pow(0.8, t);
        }
        assertThat(OptimalControl.optimalFiniteHorizonReturn(mdp)).isCloseTo(1.6383, within(1e-4))
                .isCloseTo(expected, within(1e-12));
        assertThat(OptimalControl.optimalValue(mdp)).isCloseTo(Math.pow(0.8, 5) / 0.2, within(1e-12));
        double[] piStar = OptimalControl.optimalPolicy(mdp);
        assertThat(PolicyEvaluation.finiteHorizonReturn(mdp, piStar, 49)).isCloseTo(expected, within(1e-12));
    }

    @ParameterizedTest
    @CsvSource({"SFFH/FFFF/FFHF/FFHG,HIGH,11", "SFFF/FFFF/FHHF/FFFG,HIGH,12", "SFFF/FFHF/HFFF/FFHG,LOW,13"})
    void dpReturnOfFixedPolicyMatchesMonteCarloOf20000Episodes(String layout, FrozenLakeVariance variance, long seed) {
        FrozenLakeMap map = new FrozenLakeMap(layout, variance);
        TabularSoftmaxPolicy policy = new TabularSoftmaxPolicy(16, 4, Numerics.gaussian(64, 1.0, seed));
        double exact = PolicyEvaluation.of(map.toMdp(), policy.probabilities()).finiteHorizonReturn();

        List<TabularTrajectory> episodes = TabularRollouts.collect(new FrozenLake(map), policy, seed, 0, 20_000);
        double sum = 0;
        double sumSq = 0;
        for (TabularTrajectory e : episodes) {
            double g = e.discountedReturn(FrozenLakeMap.GAMMA);
            sum += g;
            sumSq += g * g;
        }
        double mean = sum / episodes.size();
        double se = Math.sqrt((sumSq / episodes.size() - mean * mean) / (episodes.size() - 1));
        assertThat(se).isPositive();
        assertThat(Math.abs(mean - exact)).as("MC %.5f vs DP %.5f, SE %.5f", mean, exact, se).isLessThanOrEqualTo(3 * se);
    }

    @Test
    void valuesSatisfyBellmanEquationAndVisitationIsADistribution() {
        TabularMdp mdp = new FrozenLakeMap("SFFF/FFFF/FFFH/FHFG", FrozenLakeVariance.HIGH).toMdp();
        double[] pi = TabularSoftmaxPolicy.probabilities(Numerics.gaussian(64, 1.0, 5), 16, 4);
        PolicyEvaluation ev = PolicyEvaluation.of(mdp, pi);
        double[] v = ev.v();
        double[] q = ev.q();
        for (int s = 0; s < 16; s++) {
            double vs = 0;
            for (int a = 0; a < 4; a++) {
                vs += pi[s * 4 + a] * q[s * 4 + a];
            }
            assertThat(vs).isCloseTo(v[s], within(1e-12));
        }
        double total = 0;
        for (double x : ev.nu()) {
            assertThat(x).isGreaterThanOrEqualTo(0);
            total += x;
        }
        assertThat(total).isCloseTo(1.0, within(1e-12));
        // an infinite-horizon J and the 49-step return differ only by the γ^49 tail
        assertThat(ev.finiteHorizonReturn()).isCloseTo(ev.j(), within(Math.pow(0.8, 49) / 0.2 + 1e-12));
    }

    @Test
    void exactPolicyGradientMatchesFiniteDifferences() {
        TabularMdp mdp = new FrozenLakeMap("SFFH/FFFF/FFHF/FFHG", FrozenLakeVariance.HIGH).toMdp();
        double[] theta = Numerics.gaussian(64, 1.0, 8);
        double[] pi = TabularSoftmaxPolicy.probabilities(theta, 16, 4);
        double[] grad = TabularEstimates.exact(PolicyEvaluation.of(mdp, pi)).softmaxGradient(pi, mdp.gamma());
        double[] fd = new double[64];
        double h = 1e-6;
        for (int i = 0; i < 64; i++) {
            double[] p = theta.clone();
            double[] m = theta.clone();
            p[i] += h;
            m[i] -= h;
            fd[i] = (PolicyEvaluation.of(mdp, TabularSoftmaxPolicy.probabilities(p, 16, 4)).j()
                    - PolicyEvaluation.of(mdp, TabularSoftmaxPolicy.probabilities(m, 16, 4)).j()) / (2 * h);
        }
        assertThat(Numerics.relativeError(grad, fd)).isLessThan(1e-7);
    }

    @Test
    void sensitivitiesOfQAndVisitationMatchFiniteDifferences() {
        TabularMdp mdp = new FrozenLakeMap("SFFF/FFFF/FHHF/FFFG", FrozenLakeVariance.HIGH).toMdp();
        double[] phi = Numerics.gaussian(64, 1.0, 21);
        ExactSensitivity sens = ExactSensitivity.of(PolicyEvaluation.of(mdp, TabularSoftmaxPolicy.probabilities(phi, 16, 4)));
        double h = 1e-6;
        double[] dQ = sens.dQ();
        double[] dNu = sens.dNu();
        double worst = 0;
        for (int j = 0; j < 64; j++) {
            double[] p = phi.clone();
            double[] m = phi.clone();
            p[j] += h;
            m[j] -= h;
            PolicyEvaluation ep = PolicyEvaluation.of(mdp, TabularSoftmaxPolicy.probabilities(p, 16, 4));
            PolicyEvaluation em = PolicyEvaluation.of(mdp, TabularSoftmaxPolicy.probabilities(m, 16, 4));
            for (int i = 0; i < 64; i++) {
                worst = Math.max(worst, Math.abs((ep.q()[i] - em.q()[i]) / (2 * h) - dQ[i * 64 + j]));
            }
            for (int y = 0; y < 16; y++) {
                worst = Math.max(worst, Math.abs((ep.nu()[y] - em.nu()[y]) / (2 * h) - dNu[y * 64 + j]));
            }
        }
        assertThat(worst).isLessThan(1e-7);
    }
}
