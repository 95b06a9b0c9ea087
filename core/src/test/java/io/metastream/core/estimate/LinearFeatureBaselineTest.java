package io.metastream.core.estimate;

import io.metastream.core.continuous.ContinuousBatch;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** {@code advantage-baseline: linear-feature}: the garage / ProMP linear feature baseline, fitted per batch. */
class LinearFeatureBaselineTest {

    private static final double GAMMA = 0.9;

    /** Trajectories of 2-D observations with random rewards, lengths 7..12 (so t/100 features vary per row). */
    private static List<ContinuousTrajectory> randomTrajectories(SplittableRandom rng, int count) {
        List<ContinuousTrajectory> out = new ArrayList<>();
        for (int e = 0; e < count; e++) {
            int t = 7 + e % 6;
            double[] obs = new double[(t + 1) * 2];
            for (int i = 0; i < obs.length; i++) {
                obs[i] = rng.nextGaussian() * 2;
            }
            double[] act = new double[t];
            double[] r = new double[t];
            for (int i = 0; i < t; i++) {
                act[i] = rng.nextGaussian();
                r[i] = rng.nextGaussian() + 0.3 * obs[2 * i];
            }
            out.add(new ContinuousTrajectory(e, 2, 1, obs, act, r, rng.nextGaussian()));
        }
        return out;
    }

    @Test
    void aReturnInTheFeatureSpanIsFittedExactlySoEveryAdvantageIsZero() {
        // choose G_t = 2 + 3 s0 − 0.5 s1² + 4 (t/100)³, then r_t = G_t − γ G_{t+1} and the continuation is G_T
        SplittableRandom rng = new SplittableRandom(5);
        List<ContinuousTrajectory> trs = new ArrayList<>();
        for (int e = 0; e < 6; e++) {
            int t = 150 + 10 * e;   // the horizon scale of the MuJoCo tasks, so the t/100 features are of order 1
            double[] obs = new double[(t + 1) * 2];
            for (int i = 0; i < obs.length; i++) {
                obs[i] = rng.nextGaussian();
            }
            double[] g = new double[t + 1];
            for (int i = 0; i <= t; i++) {
                double al = i / 100.0;
                g[i] = 2 + 3 * obs[2 * i] - 0.5 * obs[2 * i + 1] * obs[2 * i + 1] + 4 * al * al * al;
            }
            double[] r = new double[t];
            for (int i = 0; i < t; i++) {
                r[i] = g[i] - GAMMA * g[i + 1];
            }
            trs.add(new ContinuousTrajectory(e, 2, 1, obs, new double[t], r, g[t]));
        }
        ContinuousBatch b = MonteCarloAdvantages.linearFeatureBaseline(trs, ObservationNormalizer.identity(2), GAMMA);
        ContinuousBatch mean = MonteCarloAdvantages.batch(trs, ObservationNormalizer.identity(2), GAMMA);
        double sdMean = Math.sqrt(sumSq(mean.advantages()) / mean.n());
        assertThat(sdMean).isGreaterThan(1);   // the batch mean leaves a large spread
        for (double a : b.advantages()) {
            assertThat(a).isCloseTo(0, within(1e-5));   // the 1e-5 ridge is all that is left (about 1e-6 here)
        }
        assertThat(b.obs()).isEqualTo(mean.obs());
        assertThat(b.actions()).isEqualTo(mean.actions());
    }

    @Test
    void residualsEqualAnIndependentLeastSquaresSolveAndAreCentredAndNoLargerThanTheBatchMeans() {
        List<ContinuousTrajectory> trs = randomTrajectories(new SplittableRandom(17), 9);
        ObservationNormalizer norm = ObservationNormalizer.of(new RunningMoments(50, new double[] {0.2, -0.1},
                new double[] {150, 220}));
        ContinuousBatch b = MonteCarloAdvantages.linearFeatureBaseline(trs, norm, GAMMA);
        ContinuousBatch mean = MonteCarloAdvantages.batch(trs, norm, GAMMA);
        int n = b.n();
        int k = MonteCarloAdvantages.linearFeatureCount(2);
        assertThat(k).isEqualTo(8);

        // the same ridge regression by EJML's QR least squares on the augmented system [X; √1e-5 I] w = [y; 0],
        // features built here from their definition
        double ridge = 1e-5;
        DMatrixRMaj x = new DMatrixRMaj(n + k, k);
        int row = 0;
        for (ContinuousTrajectory tr : trs) {
            for (int t = 0; t < tr.length(); t++, row++) {
                double s0 = Math.max(-10, Math.min(10, mean.obs()[2 * row]));
                double s1 = Math.max(-10, Math.min(10, mean.obs()[2 * row + 1]));
                double al = t / 100.0;
                double[] f = {s0, s1, s0 * s0, s1 * s1, al, al * al, al * al * al, 1};
                for (int p = 0; p < k; p++) {
                    x.set(row, p, f[p]);
                }
            }
        }
        for (int p = 0; p < k; p++) {
            x.set(n + p, p, Math.sqrt(ridge));
        }
        DMatrixRMaj y = new DMatrixRMaj(n + k, 1);
        for (int i = 0; i < n; i++) {
            y.set(i, mean.advantages()[i]);
        }
        DMatrixRMaj w = new DMatrixRMaj(k, 1);
        LinearSolverDense<DMatrixRMaj> qr = LinearSolverFactory_DDRM.leastSquares(n + k, k);
        assertThat(qr.setA(x)).isTrue();
        qr.solve(y, w);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double fit = 0;
            for (int p = 0; p < k; p++) {
                fit += x.get(i, p) * w.get(p);
            }
            assertThat(b.advantages()[i]).isCloseTo(mean.advantages()[i] - fit, within(1e-9));
            sum += b.advantages()[i];
        }
        // the normal equations X'(y − Xw) = ridge·w: for the constant feature, Σ Â = ridge·w_1 (centred up to the ridge)
        assertThat(sum).isCloseTo(ridge * w.get(k - 1), within(1e-9));
        // the ridge fit minimises |y − Xw|² + ridge|w|², which w = 0 (the batch mean) bounds
        assertThat(sumSq(b.advantages())).isLessThan(sumSq(mean.advantages()));
    }

    @Test
    void theBaselineIsChosenByLabelAndAnUnknownLabelListsTheKnownOnes() {
        List<ContinuousTrajectory> trs = randomTrajectories(new SplittableRandom(3), 4);
        ObservationNormalizer id = ObservationNormalizer.identity(2);
        assertThat(AdvantageBaseline.parse("batch-mean").batch(trs, id, GAMMA).advantages())
                .isEqualTo(MonteCarloAdvantages.batch(trs, id, GAMMA).advantages());
        assertThat(AdvantageBaseline.parse("linear-feature").batch(trs, id, GAMMA).advantages())
                .isEqualTo(MonteCarloAdvantages.linearFeatureBaseline(trs, id, GAMMA).advantages());
        assertThatThrownBy(() -> AdvantageBaseline.parse("linear"))
                .hasMessage("advantage-baseline must be one of batch-mean, linear-feature, got 'linear'");
    }

    @Test
    void aBatchWithFewerRowsThanFeaturesIsStillSolvedThroughTheRidge() {
        // 1 trajectory of 3 steps, 8 features: X'X is singular, the ridge keeps the solve finite
        ContinuousTrajectory tr = new ContinuousTrajectory(0, 2, 1, new double[] {1, 2, 3, 4, 5, 6, 7, 8},
                new double[] {0, 0, 0}, new double[] {1, -2, 0.5}, 0);
        ContinuousBatch b = MonteCarloAdvantages.linearFeatureBaseline(List.of(tr), ObservationNormalizer.identity(2), GAMMA);
        for (double a : b.advantages()) {
            assertThat(a).isFinite();
            assertThat(Math.abs(a)).isLessThan(1e-3);   // 3 points, 8 features: interpolated up to the ridge
        }
    }

    private static double sumSq(double[] xs) {
        double s = 0;
        for (double v : xs) {
            s += v * v;
        }
        return s;
    }
}
