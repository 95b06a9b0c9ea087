package io.metastream.core.continuous;

/**
 * The POST-batch policy-gradient estimate at θ* (BOMRL.md §Hypergradient step 2), as the gradient
 * of the loss −Ĵ:
 *
 * <pre>
 *   Ĵ-loss(θ) = −(1/n) Σ_i Â_i log π_θ(a_i|s_i),   g = ∇_θ = −(1/n) Σ_i Â_i ∇_θ log π_θ(a_i|s_i)
 * </pre>
 *
 * (the score-function estimator of −∇J with centred Monte-Carlo returns as Â). Uses the given
 * policy's workspaces: not thread-safe per policy instance.
 */
public final class PolicyGradient {

    private PolicyGradient() {
    }

    /** out = −(1/n) Σ_i Â_i ∇_θ log π_θ(a_i|s_i) (overwritten). */
    public static void lossGradient(GaussianMlpPolicy policy, double[] theta, ContinuousBatch batch, double[] out) {
        batch.checkCompatible(policy);
        policy.surrogateGradient(theta, batch.obs(), batch.actions(), weights(batch), batch.n(), out);
    }

    /** −(1/n) Σ_i Â_i log π_θ(a_i|s_i), the value whose gradient {@link #lossGradient} returns. */
    public static double loss(GaussianMlpPolicy policy, double[] theta, ContinuousBatch batch) {
        batch.checkCompatible(policy);
        return policy.surrogate(theta, batch.obs(), batch.actions(), weights(batch), batch.n());
    }

    private static double[] weights(ContinuousBatch batch) {
        int n = batch.n();
        double[] adv = batch.advantages();
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = -adv[i] / n;
        }
        return w;
    }
}
