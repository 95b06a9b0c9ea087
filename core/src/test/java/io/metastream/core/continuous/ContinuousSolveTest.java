package io.metastream.core.continuous;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ContinuousSolveTest {

    private static final int N = 30;

    private final GaussianMlpPolicy policy = Fd.smallPolicy();
    private final double[] phi = Fd.randomTheta(policy, 21);
    private final ContinuousBatch batch = LowerLevelFixture.batch(policy, phi, N, 1.0, 22);

    /**
     * The paper's settings (λ 0.5, 50 Adam steps, lr 1e-3): solving with steps = k returns the k-th
     * iterate of the same run, so the loss path can be read off; it must never rise above the start
     * and end well below it, rising at most a little between consecutive steps (Adam is not a descent
     * method).
     */
    @ParameterizedTest
    @EnumSource(ContinuousAlgorithm.class)
    void adamDecreasesTheLowerLevelLoss(ContinuousAlgorithm algorithm) {
        LowerLevelConfig config = LowerLevelConfig.paper(algorithm);
        double initial = new ContinuousLowerLevel(policy, config).loss(phi, phi, batch);
        double previous = initial;
        double worstRise = 0;
        for (int k = 1; k <= config.steps(); k++) {
            ContinuousLowerLevel.Solution s = new ContinuousLowerLevel(policy, config.withSteps(k, config.learningRate()))
                    .solve(phi, batch);
            assertThat(s.steps()).isEqualTo(k);
            assertThat(s.loss()).isLessThan(initial);
            worstRise = Math.max(worstRise, s.loss() - previous);
            previous = s.loss();
        }
        ContinuousLowerLevel.Solution full = new ContinuousLowerLevel(policy, config).solve(phi, batch);
        System.out.printf("%s L_low %.6f -> %.6f in 50 steps, worst single-step rise %.2e, KL %.4f%n", algorithm, initial,
                full.loss(), worstRise, full.meanKl());
        assertThat(full.loss()).isEqualTo(previous);
        assertThat(full.loss()).isLessThan(initial - 0.1 * Math.abs(initial) - 1e-3);
        assertThat(worstRise).isLessThanOrEqualTo(1e-3 * (initial - full.loss()));
        assertThat(full.stoppedEarly()).isFalse();
        assertThat(full.meanKl()).isCloseTo(new ContinuousLowerLevel(policy, config).meanKl(full.theta(), phi, batch), within(1e-14));
    }

    /**
     * A tiny maxKl stops the solve: the returned iterate is the last one whose KL(π_φ‖π_θ) ≤ maxKl,
     * i.e. the (steps)-th iterate of the unconstrained run, and the next iterate exceeds maxKl.
     */
    @ParameterizedTest
    @EnumSource(ContinuousAlgorithm.class)
    void earlyStopReturnsTheLastIterateWithinMaxKl(ContinuousAlgorithm algorithm) {
        double maxKl = 0.01;
        LowerLevelConfig config = LowerLevelConfig.paper(algorithm).withMaxKl(maxKl);
        ContinuousLowerLevel ll = new ContinuousLowerLevel(policy, config);
        ContinuousLowerLevel.Solution s = ll.solve(phi, batch);
        assertThat(s.stoppedEarly()).isTrue();
        assertThat(s.steps()).isBetween(1, config.steps() - 1);
        assertThat(s.meanKl()).isLessThanOrEqualTo(maxKl).isCloseTo(ll.meanKl(s.theta(), phi, batch), within(1e-16));
        LowerLevelConfig unconstrained = config.withMaxKl(Double.POSITIVE_INFINITY);
        ContinuousLowerLevel.Solution same = new ContinuousLowerLevel(policy, unconstrained.withSteps(s.steps(), 1e-3))
                .solve(phi, batch);
        ContinuousLowerLevel.Solution next = new ContinuousLowerLevel(policy, unconstrained.withSteps(s.steps() + 1, 1e-3))
                .solve(phi, batch);
        System.out.printf("%s early stop after %d steps: KL %.3e, next iterate's KL %.3e (maxKl %.2f)%n", algorithm,
                s.steps(), s.meanKl(), next.meanKl(), maxKl);
        assertThat(s.theta()).containsExactly(same.theta());
        assertThat(next.meanKl()).isGreaterThan(maxKl);
    }

    @ParameterizedTest
    @EnumSource(ContinuousAlgorithm.class)
    void solveIsBitIdenticalForTheSameInput(ContinuousAlgorithm algorithm) {
        ContinuousLowerLevel ll = new ContinuousLowerLevel(policy, LowerLevelConfig.paper(algorithm));
        ContinuousLowerLevel.Solution a = ll.solve(phi, batch);
        ContinuousLowerLevel.Solution b = ll.solve(phi.clone(), batch);
        ContinuousLowerLevel.Solution c = new ContinuousLowerLevel(policy, LowerLevelConfig.paper(algorithm)).solve(phi, batch);
        assertThat(b.theta()).containsExactly(a.theta());
        assertThat(c.theta()).containsExactly(a.theta());
        assertThat(b.loss()).isEqualTo(a.loss());
        assertThat(a.theta()).isNotEqualTo(phi);
    }
}
