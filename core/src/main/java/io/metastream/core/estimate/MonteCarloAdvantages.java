package io.metastream.core.estimate;

import io.metastream.core.continuous.ContinuousBatch;

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
}
