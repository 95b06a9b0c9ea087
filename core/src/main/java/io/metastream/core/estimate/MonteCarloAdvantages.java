package io.metastream.core.estimate;

import io.metastream.core.continuous.ContinuousBatch;
import io.metastream.core.linalg.Dense;

import java.util.List;

/**
 * The continuous advantage estimator of BOMRL.md §Estimators: Monte-Carlo discounted return-to-go
 * with the tail bootstrapped by the continuation rollout, minus the batch mean. For a trajectory of
 * T steps,
 *
 * <pre>
 *   G_t = Σ_{t ≤ t' &lt; T} γ^{t'−t} r_{t'} + γ^{T−t} · continuationReturn
 *   Â_i = G_i − (1/n) Σ_j G_j        (over all n = Σ T rows of the batch)
 * </pre>
 *
 * computed backwards as G_T = continuationReturn, G_t = r_t + γ G_{t+1}.
 */
public final class MonteCarloAdvantages {

    private MonteCarloAdvantages() {
    }

    /** out[off + t] = G_t for t &lt; T. */
    public static void returnsToGo(ContinuousTrajectory trajectory, double gamma, double[] out, int off) {
        double g = trajectory.continuationReturn();
        double[] r = trajectory.rewards();
        for (int t = r.length - 1; t >= 0; t--) {
            g = r[t] + gamma * g;
            out[off + t] = g;
        }
    }

    /** G_0 … G_{T−1} as a new array. */
    public static double[] returnsToGo(ContinuousTrajectory trajectory, double gamma) {
        double[] out = new double[trajectory.length()];
        returnsToGo(trajectory, gamma, out, 0);
        return out;
    }

    /**
     * The batch of rows (s_t, a_t, Â_t), t &lt; T, of the trajectories in list order, observations
     * normalised with {@code normalizer}.
     */
    public static ContinuousBatch batch(List<ContinuousTrajectory> trajectories, ObservationNormalizer normalizer,
                                        double gamma) {
        if (trajectories.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one trajectory");
        }
        int obsDim = trajectories.get(0).obsDim();
        int actDim = trajectories.get(0).actDim();
        int n = 0;
        for (ContinuousTrajectory tr : trajectories) {
            if (tr.obsDim() != obsDim || tr.actDim() != actDim) {
                throw new IllegalArgumentException("trajectory " + tr.episode() + " has dims (" + tr.obsDim() + ", "
                        + tr.actDim() + "), expected (" + obsDim + ", " + actDim + ")");
            }
            n += tr.length();
        }
        double[] obs = new double[n * obsDim];
        double[] actions = new double[n * actDim];
        double[] adv = new double[n];
        int row = 0;
        for (ContinuousTrajectory tr : trajectories) {
            int t = tr.length();
            for (int i = 0; i < t; i++) {
                normalizer.normalize(tr.observations(), i * obsDim, obs, (row + i) * obsDim);
            }
            System.arraycopy(tr.actions(), 0, actions, row * actDim, t * actDim);
            returnsToGo(tr, gamma, adv, row);
            row += t;
        }
        double mean = 0;
        for (double g : adv) {
            mean += g;
        }
        mean /= n;
        for (int i = 0; i < n; i++) {
            adv[i] -= mean;
        }
        return new ContinuousBatch(n, obsDim, actDim, obs, actions, adv);
    }

    /**
     * The batch with its advantages centred and divided by their (population) standard deviation
     * (+1e-8): unit-scale Â, as the MAML, ProMP and E-MAML reference implementations use before every
     * policy-gradient step (their step size α = 0.1 assumes it), and BO-MRL's
     * {@code standardize-advantages} option. On a centred batch of standard deviation s, the bounded
     * surrogate term (1/λ)·mean(−Â ρ) becomes (1/(λ s))·mean(−Â ρ): the lower level with λ on the
     * standardised batch is the lower level with λ·s on the raw one.
     */
    public static ContinuousBatch standardized(ContinuousBatch b) {
        double[] adv = b.advantages();
        double mean = 0;
        for (double a : adv) {
            mean += a;
        }
        mean /= adv.length;
        double var = 0;
        for (double a : adv) {
            var += (a - mean) * (a - mean);
        }
        double scale = 1 / (Math.sqrt(var / adv.length) + 1e-8);
        double[] out = new double[adv.length];
        for (int i = 0; i < adv.length; i++) {
            out[i] = (adv[i] - mean) * scale;
        }
        return new ContinuousBatch(b.n(), b.obsDim(), b.actDim(), b.obs(), b.actions(), out);
    }

    /** Features per row of {@link #linearFeatureBaseline}: obs, obs², t/100, (t/100)², (t/100)³, 1. */
    public static int linearFeatureCount(int obsDim) {
        return 2 * obsDim + 4;
    }

    /**
     * The batch of {@link #batch} with Â_i = G_i − b(s_i, t_i), where b is the per-batch least-squares
     * fit of G on the features (clip(s, ±10), clip(s, ±10)², t/100, (t/100)², (t/100)³, 1) of the
     * normalised observation s and the step index t within its trajectory, with ridge 1e-5 (×10 up to 5
     * times while the normal equations stay singular): the linear feature baseline of the rllab / garage /
     * ProMP reference implementations, fitted on the batch it is applied to. The residuals are orthogonal
     * to every feature, so they are centred (the constant feature) and never larger in total square than
     * the batch-mean residuals of {@link #batch}.
     */
    public static ContinuousBatch linearFeatureBaseline(List<ContinuousTrajectory> trajectories,
                                                        ObservationNormalizer normalizer, double gamma) {
        ContinuousBatch b = batch(trajectories, normalizer, gamma);
        int n = b.n();
        int d = b.obsDim();
        int k = linearFeatureCount(d);
        double[] x = new double[n * k];
        int row = 0;
        for (ContinuousTrajectory tr : trajectories) {
            for (int t = 0; t < tr.length(); t++, row++) {
                int o = row * k;
                for (int j = 0; j < d; j++) {
                    double s = Math.max(-10, Math.min(10, b.obs()[row * d + j]));
                    x[o + j] = s;
                    x[o + d + j] = s * s;
                }
                double al = t / 100.0;
                x[o + 2 * d] = al;
                x[o + 2 * d + 1] = al * al;
                x[o + 2 * d + 2] = al * al * al;
                x[o + 2 * d + 3] = 1;
            }
        }
        double[] y = b.advantages();
        double[] xtx = new double[k * k];
        double[] xty = new double[k];
        for (int i = 0; i < n; i++) {
            int o = i * k;
            for (int p = 0; p < k; p++) {
                double xp = x[o + p];
                xty[p] += xp * y[i];
                for (int q = p; q < k; q++) {
                    xtx[p * k + q] += xp * x[o + q];
                }
            }
        }
        for (int p = 0; p < k; p++) {
            for (int q = 0; q < p; q++) {
                xtx[p * k + q] = xtx[q * k + p];
            }
        }
        double[] w = null;
        double reg = 1e-5;
        for (int attempt = 0; attempt < 6 && w == null; attempt++, reg *= 10) {
            double[] a = xtx.clone();
            for (int p = 0; p < k; p++) {
                a[p * k + p] += reg;
            }
            try {
                w = Dense.solve(a, k, xty);
            } catch (ArithmeticException singular) {
                // retry with a larger ridge, as the reference implementations do
            }
        }
        if (w == null) {
            throw new ArithmeticException("linear feature baseline: normal equations singular up to ridge 1");
        }
        double[] adv = new double[n];
        for (int i = 0; i < n; i++) {
            double fit = 0;
            for (int p = 0; p < k; p++) {
                fit += x[i * k + p] * w[p];
            }
            adv[i] = y[i] - fit;
        }
        return new ContinuousBatch(n, d, b.actDim(), b.obs(), b.actions(), adv);
    }
}
