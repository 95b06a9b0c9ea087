package io.metastream.core.continuous;

import java.util.Arrays;

/**
 * The within-task algorithm Alg(π_φ, λ, τ) for the Gaussian MLP policy (BOMRL.md §Within-task,
 * continuous column): minimise on one task's PRE batch
 *
 * <pre>
 *   L_low(θ) = (1/λ) · mean_i[ −Â_i · 2σ(2(r_i − 1)) ] + D(θ, φ),   r_i = π_θ(a_i|s_i) / π_φ(a_i|s_i)
 * </pre>
 *
 * with σ the logistic function (the bounded ratio: value 1 and slope 1 at r = 1, saturating in
 * (2σ(−2) ≈ 0.24, 2)), log π_φ recomputed from φ on the batch and treated as a constant, and D one
 * of {@link ContinuousAlgorithm}'s proximities averaged over the batch states.
 *
 * <p>{@link #solve} runs {@code steps} Adam steps (β₁ 0.9, β₂ 0.999, ε 1e-8) from θ₀ = φ. Early
 * stop: after each step k the new iterate's κ_k = mean_s KL(π_φ ‖ π_θk) is evaluated (in the same
 * pass as the next gradient); if κ_k &gt; maxKl (or is NaN) the solve stops and returns θ_{k−1}, the
 * last iterate whose KL was ≤ maxKl (θ₀ = φ has κ₀ = 0), with {@code steps = k − 1}. Deterministic:
 * the same inputs give bit-identical results.
 *
 * <p>Not thread-safe (it owns workspaces and a policy copy); use one instance per thread.
 */
public final class ContinuousLowerLevel {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double ADAM_EPS = 1e-8;

    /**
     * @param theta        the returned iterate (θ*)
     * @param steps        the number of Adam steps that produced it
     * @param stoppedEarly whether the KL early stop ended the solve
     * @param meanKl       mean_s KL(π_φ ‖ π_θ) of the returned θ
     * @param loss         L_low of the returned θ
     */
    public record Solution(double[] theta, int steps, boolean stoppedEarly, double meanKl, double loss) {
    }

    private final GaussianMlpPolicy policy;
    private final LowerLevelConfig config;
    private final LowerLevelKernel kernel;
    private final DiagonalGaussianKl kl;

    public ContinuousLowerLevel(GaussianMlpPolicy policy, LowerLevelConfig config) {
        if (policy == null || config == null) {
            throw new IllegalArgumentException("policy and config must not be null");
        }
        this.policy = policy;
        this.config = config;
        this.kernel = new LowerLevelKernel(policy, config.algorithm(), config.lambda());
        this.kl = new DiagonalGaussianKl(policy);
    }

    public LowerLevelConfig config() {
        return config;
    }

    public GaussianMlpPolicy policy() {
        return policy;
    }

    /** D(θ, φ) on the batch states. */
    public double proximity(double[] theta, double[] phi, ContinuousBatch batch) {
        check(theta, phi, batch);
        return switch (config.algorithm()) {
            case ALG1 -> kl.value(phi, theta, batch.obs(), batch.n());
            case ALG2 -> kl.value(theta, phi, batch.obs(), batch.n());
            case ALG3 -> LowerLevelKernel.squaredDistance(theta, phi);
        };
    }

    /** out = ∇_θ D(θ, φ) (overwritten); returns D. */
    public double proximityGradientTheta(double[] theta, double[] phi, ContinuousBatch batch, double[] out) {
        check(theta, phi, batch);
        policy.checkOut(out);
        return switch (config.algorithm()) {
            case ALG1 -> kl.gradientSecond(phi, theta, batch.obs(), batch.n(), out);
            case ALG2 -> kl.gradientFirst(theta, phi, batch.obs(), batch.n(), out);
            case ALG3 -> euclidean(theta, phi, 2, out);
        };
    }

    /** out = ∇_φ D(θ, φ) (overwritten); returns D. */
    public double proximityGradientPhi(double[] theta, double[] phi, ContinuousBatch batch, double[] out) {
        check(theta, phi, batch);
        policy.checkOut(out);
        return switch (config.algorithm()) {
            case ALG1 -> kl.gradientFirst(phi, theta, batch.obs(), batch.n(), out);
            case ALG2 -> kl.gradientSecond(theta, phi, batch.obs(), batch.n(), out);
            case ALG3 -> euclidean(theta, phi, -2, out);
        };
    }

    /**
     * The mixed second derivative applied to x: out = ∇²_φθ D(θ, φ) x = d/dε ∇_φ D(θ + εx, φ) at ε = 0
     * (exact; −2x for ALG3). The hypergradient's per-task meta-gradient is −out at θ = θ*.
     */
    public void proximityMixedProduct(double[] theta, double[] phi, ContinuousBatch batch, double[] x, double[] out) {
        check(theta, phi, batch);
        policy.checkTheta(x);
        policy.checkOut(out);
        kernel.anchor(phi, phi, batch);
        kernel.mixedProduct(theta, x, out);
    }

    /** mean_s KL(π_φ(·|s) ‖ π_θ(·|s)) on the batch states, the early-stop quantity. */
    public double meanKl(double[] theta, double[] phi, ContinuousBatch batch) {
        check(theta, phi, batch);
        return kl.value(phi, theta, batch.obs(), batch.n());
    }

    /** L_low(θ) with the ratio denominators and D anchored at φ. */
    public double loss(double[] theta, double[] phi, ContinuousBatch batch) {
        check(theta, phi, batch);
        kernel.anchor(phi, phi, batch);
        return kernel.evaluate(theta, null);
    }

    /** out = ∇_θ L_low(θ) (overwritten); returns L_low(θ). */
    public double lossGradient(double[] theta, double[] phi, ContinuousBatch batch, double[] out) {
        check(theta, phi, batch);
        policy.checkOut(out);
        kernel.anchor(phi, phi, batch);
        return kernel.evaluate(theta, out);
    }

    /** out = ∇²_θθ L_low(θ) v (overwritten), exact (forward-over-reverse). */
    public void lossHessianVector(double[] theta, double[] phi, ContinuousBatch batch, double[] v, double[] out) {
        check(theta, phi, batch);
        policy.checkTheta(v);
        policy.checkOut(out);
        kernel.anchor(phi, phi, batch);
        kernel.hessianVector(theta.clone(), v, out);   // one product: no forward cache to amortise
    }

    /** Above this many doubles (64 MiB) {@link #hessianOperator} recomputes the forward pass per product. */
    static final long HESSIAN_CACHE_DOUBLES = 8L << 20;

    /**
     * The operator v ↦ ∇²_θθ L_low(θ) v at a fixed θ (copied), exact by forward-over-reverse
     * ({@link LowerLevelKernel#hessianVector}). On the 128-128 network with n = 4000 rows it costs the
     * same as {@link CentralDifferenceHvp} on the exact gradient and is about 5× more accurate where
     * that is measurable (1e-11 vs 1e-10 relative). The forward pass at θ is computed once, when the
     * operator is made, and restored in every product (bit-identical; 9 MB at n = 4000, not kept above
     * {@link #HESSIAN_CACHE_DOUBLES}). Anchors this lower level's workspaces at (φ, batch): valid until
     * the next call on this instance.
     */
    LinearOperator hessianOperator(double[] theta, double[] phi, ContinuousBatch batch) {
        kernel.anchor(phi, phi, batch);
        double[] at = theta.clone();
        LowerLevelKernel.HessianCache cache = kernel.hessianCache(at, HESSIAN_CACHE_DOUBLES);
        return (v, out) -> kernel.hessianVector(at, cache, v, out);
    }

    /** θ* = Alg(π_φ, λ, τ) on the batch; see the class comment for the early-stop rule. */
    public Solution solve(double[] phi, ContinuousBatch batch) {
        return solve(phi, phi, batch);
    }

    /**
     * The same solve from θ = {@code phiProximity} with D anchored at {@code phiProximity} but the ratio's
     * denominators π_{phiBehaviour}(a_i|s_i) of another policy: the data-frozen adaptation map
     * φ ↦ θ*(φ) whose derivative the hypergradient estimates (the authors hold the data and the
     * denominators fixed). {@code solve(φ, batch)} is {@code solve(φ, φ, batch)}.
     */
    public Solution solve(double[] phiProximity, double[] phiBehaviour, ContinuousBatch batch) {
        check(phiProximity, phiBehaviour, batch);
        kernel.anchor(phiProximity, phiBehaviour, batch);
        double[] phi = phiProximity;
        int d = phi.length;
        double[] theta = phi.clone();
        double[] previous = new double[d];
        double[] grad = new double[d];
        double[] m = new double[d];
        double[] v = new double[d];
        double loss = kernel.evaluate(theta, grad);
        double meanKl = kernel.lastKl();
        int steps = config.steps();
        double lr = config.learningRate();
        for (int k = 1; k <= steps; k++) {
            System.arraycopy(theta, 0, previous, 0, d);
            double previousLoss = loss;
            double previousKl = meanKl;
            double c1 = 1 - Math.pow(BETA1, k);
            double c2 = 1 - Math.pow(BETA2, k);
            for (int i = 0; i < d; i++) {
                double g = grad[i];
                m[i] = BETA1 * m[i] + (1 - BETA1) * g;
                v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
                theta[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + ADAM_EPS);
            }
            loss = kernel.evaluate(theta, k < steps ? grad : null);
            meanKl = kernel.lastKl();
            if (!(meanKl <= config.maxKl())) {
                return new Solution(previous, k - 1, true, previousKl, previousLoss);
            }
        }
        return new Solution(theta, steps, false, meanKl, loss);
    }

    /** Evaluation hooks for this package (the hypergradient and tests with separate anchors). */
    LowerLevelKernel kernel() {
        return kernel;
    }

    void check(double[] theta, double[] phi, ContinuousBatch batch) {
        if (batch == null) {
            throw new IllegalArgumentException("batch must not be null");
        }
        policy.checkTheta(theta);
        if (phi.length != theta.length) {
            throw new IllegalArgumentException("expected φ of length " + theta.length + ", got " + phi.length);
        }
        batch.checkCompatible(policy);
    }

    private static double euclidean(double[] theta, double[] phi, double sign, double[] out) {
        Arrays.fill(out, 0);
        double s = 0;
        for (int k = 0; k < theta.length; k++) {
            double diff = theta[k] - phi[k];
            s += diff * diff;
            out[k] = sign * diff;
        }
        return s;
    }
}
