package io.metastream.core.estimate;

/**
 * One episode of a continuous environment, observations raw (not normalised):
 * {@code observations} (T+1) × obsDim row-major (s_0 … s_T), {@code actions} T × actDim (the sampled,
 * unclipped actions), {@code rewards} T (reward t follows action t), and
 * {@code continuationReturn} = Σ_{k<C} γ^k r_{T+k}, the discounted rewards of the C-step continuation
 * rollout from s_T that bootstraps the tail (BOMRL.md §Estimators; 0 when C = 0).
 * {@code episode} is the index within its collection; estimators consume trajectories in episode order.
 */
public record ContinuousTrajectory(int episode, int obsDim, int actDim, double[] observations, double[] actions,
                                   double[] rewards, double continuationReturn) {

    public ContinuousTrajectory {
        int t = rewards.length;
        if (obsDim <= 0 || actDim <= 0 || observations.length != (t + 1) * obsDim || actions.length != t * actDim) {
            throw new IllegalArgumentException("trajectory shapes: obsDim " + obsDim + ", actDim " + actDim + ", observations "
                    + observations.length + ", actions " + actions.length + ", rewards " + t
                    + " (expected (T+1)·obsDim, T·actDim, T)");
        }
        if (!Double.isFinite(continuationReturn)) {
            throw new IllegalArgumentException("continuation return must be finite, got " + continuationReturn);
        }
    }

    /** T, the number of steps (excluding the continuation). */
    public int length() {
        return rewards.length;
    }

    /** Σ_{t<T} r_t, the evaluation metric of EXPERIMENTS.md ("accumulated reward"). */
    public double undiscountedReturn() {
        double g = 0;
        for (double r : rewards) {
            g += r;
        }
        return g;
    }

    /** Σ_{t<T} γ^t r_t (without the continuation). */
    public double discountedReturn(double gamma) {
        double g = 0;
        double w = 1;
        for (double r : rewards) {
            g += w * r;
            w *= gamma;
        }
        return g;
    }
}
