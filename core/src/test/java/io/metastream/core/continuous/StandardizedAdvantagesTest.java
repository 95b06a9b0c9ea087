package io.metastream.core.continuous;

import io.metastream.core.estimate.MonteCarloAdvantages;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * BO-MRL's {@code standardize-advantages} option: the batch gets unit-scale Â, and the lower level
 * with λ on it is the lower level with λ·s on the raw batch (s its advantages' standard deviation),
 * so on raw returns of scale s ≫ 1 the paper's λ = 0.5 is a much weaker proximity penalty.
 */
class StandardizedAdvantagesTest {

    private static final int N = 400;
    private final GaussianMlpPolicy policy = Fd.smallPolicy();
    private final double[] phi = Fd.randomTheta(policy, 21);
    private final ContinuousBatch raw = LowerLevelFixture.batch(policy, phi, N, 25.0, 22);

    @Test
    void standardisedBatchHasUnitScaleAdvantagesAndKeepsTheRest() {
        ContinuousBatch std = MonteCarloAdvantages.standardized(raw);
        double mean = 0;
        double sq = 0;
        for (double a : std.advantages()) {
            mean += a / N;
            sq += a * a / N;
        }
        assertThat(Math.abs(mean)).isLessThan(1e-12);
        assertThat(Math.sqrt(sq - mean * mean)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(std.obs()).isEqualTo(raw.obs());
        assertThat(std.actions()).isEqualTo(raw.actions());
        // order and sign kept: Â_std = Â_raw / (s + 1e-8)
        double s = stdOf(raw.advantages()) + 1e-8;
        for (int i = 0; i < N; i++) {
            assertThat(std.advantages()[i] * s).isCloseTo(raw.advantages()[i], org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    @Test
    void lambdaOnTheStandardisedBatchIsLambdaTimesStdOnTheRawOne() {
        double s = stdOf(raw.advantages());
        assertThat(s).isGreaterThan(20.0);
        for (ContinuousAlgorithm algorithm : ContinuousAlgorithm.values()) {
            ContinuousLowerLevel.Solution onStandardised = LowerLevelFixture.lowerLevel(policy, algorithm, 0.5)
                    .solve(phi, MonteCarloAdvantages.standardized(raw));
            ContinuousLowerLevel.Solution rawScaledLambda = LowerLevelFixture.lowerLevel(policy, algorithm, 0.5 * s)
                    .solve(phi, raw);
            ContinuousLowerLevel.Solution rawPaperLambda = LowerLevelFixture.lowerLevel(policy, algorithm, 0.5)
                    .solve(phi, raw);
            double diff = 0;
            for (int i = 0; i < phi.length; i++) {
                diff = Math.max(diff, Math.abs(onStandardised.theta()[i] - rawScaledLambda.theta()[i]));
            }
            assertThat(diff).as("%s: max |θ_std − θ_raw(λ·s)|", algorithm).isLessThan(1e-8);
            assertThat(onStandardised.steps()).isEqualTo(rawScaledLambda.steps());
            // the penalty matters: on raw Â the same λ moves much further from the prior
            assertThat(rawPaperLambda.meanKl()).as("%s: KL raw vs standardised", algorithm)
                    .isGreaterThan(2 * onStandardised.meanKl());
        }
    }

    private static double stdOf(double[] x) {
        double mean = 0;
        for (double v : x) {
            mean += v / x.length;
        }
        double var = 0;
        for (double v : x) {
            var += (v - mean) * (v - mean) / x.length;
        }
        return Math.sqrt(var);
    }
}
