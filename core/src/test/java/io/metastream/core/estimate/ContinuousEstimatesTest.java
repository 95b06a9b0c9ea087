package io.metastream.core.estimate;

import io.metastream.core.continuous.ContinuousBatch;
import io.metastream.core.continuous.GaussianMlpPolicy;
import io.metastream.core.task.PointGoal;
import io.metastream.core.task.PointNavigation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ContinuousEstimatesTest {

    private static final GaussianMlpPolicy POLICY = new GaussianMlpPolicy(2, new int[] {8}, 2);
    private static final double[] THETA = POLICY.initialParameters(new SplittableRandom(3), -0.7, 1.0);
    private static final ObservationNormalizer NORM = ObservationNormalizer.of(new RunningMoments(10,
            new double[] {0.1, -0.2}, new double[] {0.4, 0.9}));

    @Test
    void rolloutsAreReproducibleBitForBitAndEpisodesAreIndependentOfTheirBatch() {
        ContinuousRollouts rollouts = new ContinuousRollouts(POLICY, 15, 5, 0.99);
        PointNavigation env = new PointNavigation(new PointGoal(0.3, -0.2), rollouts.environmentHorizon());
        List<ContinuousTrajectory> a = rollouts.collect(env, THETA, NORM, 42, 0, 4, ContinuousRollouts.Mode.STOCHASTIC);
        List<ContinuousTrajectory> b = rollouts.collect(env, THETA, NORM, 42, 0, 4, ContinuousRollouts.Mode.STOCHASTIC);
        ContinuousTrajectory third = rollouts.episode(env, THETA, NORM, 42, 2, ContinuousRollouts.Mode.STOCHASTIC);
        for (int e = 0; e < 4; e++) {
            assertThat(a.get(e).observations()).containsExactly(b.get(e).observations());
            assertThat(a.get(e).actions()).containsExactly(b.get(e).actions());
            assertThat(a.get(e).rewards()).containsExactly(b.get(e).rewards());
            assertThat(a.get(e).continuationReturn()).isEqualTo(b.get(e).continuationReturn());
        }
        assertThat(third.actions()).containsExactly(a.get(2).actions());
        assertThat(a.get(0).actions()).isNotEqualTo(a.get(1).actions());
        assertThat(rollouts.collect(env, THETA, NORM, 43, 0, 1, ContinuousRollouts.Mode.STOCHASTIC).get(0).actions())
                .isNotEqualTo(a.get(0).actions());
    }

    @Test
    void trajectoriesStoreRawObservationsAndUnclippedActionsAndTheMeanInDeterministicMode() {
        ContinuousRollouts rollouts = new ContinuousRollouts(POLICY, 12, 0, 0.99);
        PointNavigation env = new PointNavigation(new PointGoal(-0.3, 0.4), 12);
        ContinuousTrajectory tr = rollouts.episode(env, THETA, NORM, 7, 0, ContinuousRollouts.Mode.STOCHASTIC);
        assertThat(tr.length()).isEqualTo(12);
        assertThat(tr.continuationReturn()).isZero();
        double[] s = tr.observations();
        double[] act = tr.actions();
        boolean clipped = false;
        for (int t = 0; t < 12; t++) {
            for (int j = 0; j < 2; j++) {
                double clip = Math.max(-0.1, Math.min(0.1, act[2 * t + j]));
                clipped |= clip != act[2 * t + j];
                assertThat(s[2 * (t + 1) + j]).isEqualTo(s[2 * t + j] + clip);
            }
            assertThat(tr.rewards()[t]).isEqualTo(-Math.sqrt(sq(s[2 * t + 2] + 0.3) + sq(s[2 * t + 3] - 0.4)));
        }
        assertThat(clipped).as("σ = e^-0.7 exceeds the speed limit, so some stored actions lie outside it").isTrue();

        ContinuousTrajectory det = rollouts.episode(env, THETA, NORM, 7, 0, ContinuousRollouts.Mode.DETERMINISTIC);
        double[] z = new double[2];
        for (int t = 0; t < 12; t++) {
            NORM.normalize(det.observations(), 2 * t, z, 0);
            double[] mu = POLICY.mean(THETA, z);
            assertThat(new double[] {det.actions()[2 * t], det.actions()[2 * t + 1]}).containsExactly(mu);
        }
    }

    @Test
    void continuationReturnIsTheDiscountedTailOfOneLongerEpisodeWithTheSameStream() {
        double gamma = 0.9;
        ContinuousRollouts split = new ContinuousRollouts(POLICY, 10, 6, gamma);
        ContinuousRollouts whole = new ContinuousRollouts(POLICY, 16, 0, gamma);
        PointNavigation env = new PointNavigation(new PointGoal(0.2, 0.2), 16);
        ContinuousTrajectory head = split.episode(env, THETA, NORM, 5, 3, ContinuousRollouts.Mode.STOCHASTIC);
        ContinuousTrajectory full = whole.episode(env, THETA, NORM, 5, 3, ContinuousRollouts.Mode.STOCHASTIC);
        assertThat(head.length()).isEqualTo(10);
        assertThat(head.actions()).containsExactly(java.util.Arrays.copyOf(full.actions(), 20));
        double tail = 0;
        for (int k = 0; k < 6; k++) {
            tail += Math.pow(gamma, k) * full.rewards()[10 + k];
        }
        assertThat(head.continuationReturn()).isCloseTo(tail, within(1e-14));
        assertThatThrownBy(() -> split.episode(new PointNavigation(new PointGoal(0, 0), 12), THETA, NORM, 5, 0,
                ContinuousRollouts.Mode.STOCHASTIC)).hasMessageContaining("H + C = 16");
    }

    @Test
    void mergedMomentsEqualOnePassAndTwoPassStatistics() {
        SplittableRandom rng = new SplittableRandom(9);
        int n = 57;
        double[] rows = new double[n * 3];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = 100 + rng.nextGaussian() * (1 + i % 3);
        }
        RunningMoments onePass = RunningMoments.of(rows, n, 3);
        RunningMoments merged = RunningMoments.empty(3);
        int[] cuts = {0, 1, 20, 21, 40, 57};
        for (int c = 0; c + 1 < cuts.length; c++) {
            double[] chunk = java.util.Arrays.copyOfRange(rows, cuts[c] * 3, cuts[c + 1] * 3);
            merged = merged.merge(RunningMoments.of(chunk, cuts[c + 1] - cuts[c], 3));
        }
        assertThat(merged.count()).isEqualTo(n);
        for (int j = 0; j < 3; j++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += rows[i * 3 + j] / n;
            }
            double var = 0;
            for (int i = 0; i < n; i++) {
                var += sq(rows[i * 3 + j] - mean) / n;
            }
            assertThat(onePass.mean()[j]).isCloseTo(mean, within(1e-12));
            assertThat(merged.mean()[j]).isCloseTo(mean, within(1e-12));
            assertThat(onePass.variance()[j]).isCloseTo(var, within(1e-11));
            assertThat(merged.variance()[j]).isCloseTo(var, within(1e-11));
        }
        assertThat(merged.merge(RunningMoments.empty(3))).isSameAs(merged);
    }

    @Test
    void normaliserStandardisesClipsAndFloorsTheStd() {
        ObservationNormalizer norm = ObservationNormalizer.of(new RunningMoments(4, new double[] {1, 2, 3},
                new double[] {16, 0, 4}));
        double[] out = new double[3];
        norm.normalize(new double[] {3, 2, 100}, 0, out, 0);
        assertThat(out[0]).isEqualTo(1.0); // (3 − 1)/√(16/4)
        assertThat(out[1]).isEqualTo(0.0); // constant coordinate: std floored, no NaN
        assertThat(out[2]).isEqualTo(5.0); // (100 − 3)/1 clipped
        norm.normalize(new double[] {-7, 2 + 1e-7, 3}, 0, out, 0);
        assertThat(out).containsExactly(-4.0, 5.0, 0.0);
        double[] raw = {1e9, -3.25};
        assertThat(ObservationNormalizer.identity(2).normalizeRows(raw, 1)).containsExactly(raw);
        assertThat(ObservationNormalizer.of(RunningMoments.empty(2)).normalizeRows(raw, 1)).containsExactly(raw);
    }

    @Test
    void advantagesAreBootstrappedReturnsToGoMinusTheBatchMean() {
        // γ = 0.5; episode 0: r = (1, 2, 3), continuation 4 → G = (3.25, 4.5, 5); episode 1: r = (−1), no tail → G = −1
        ContinuousTrajectory e0 = new ContinuousTrajectory(0, 1, 1, new double[] {10, 11, 12, 13},
                new double[] {0.1, 0.2, 0.3}, new double[] {1, 2, 3}, 4);
        ContinuousTrajectory e1 = new ContinuousTrajectory(1, 1, 1, new double[] {30, 31}, new double[] {-0.5},
                new double[] {-1}, 0);
        assertThat(MonteCarloAdvantages.returnsToGo(e0, 0.5)).containsExactly(3.25, 4.5, 5.0);
        ObservationNormalizer norm = ObservationNormalizer.of(new RunningMoments(2, new double[] {10}, new double[] {8}));
        ContinuousBatch batch = MonteCarloAdvantages.batch(List.of(e0, e1), norm, 0.5);
        double mean = (3.25 + 4.5 + 5 - 1) / 4;
        assertThat(batch.n()).isEqualTo(4);
        assertThat(batch.advantages()).containsExactly(3.25 - mean, 4.5 - mean, 5 - mean, -1 - mean);
        assertThat(batch.actions()).containsExactly(0.1, 0.2, 0.3, -0.5);
        assertThat(batch.obs()).containsExactly(0.0, 0.5, 1.0, 5.0); // (s − 10)/2; (30 − 10)/2 = 10 is clipped to 5
    }

    private static double sq(double x) {
        return x * x;
    }
}
