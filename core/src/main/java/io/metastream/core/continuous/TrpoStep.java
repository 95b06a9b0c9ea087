package io.metastream.core.continuous;

/**
 * One TRPO step minimising a loss L(θ) of a {@link GaussianMlpPolicy} (BOMRL.md §Meta-update):
 *
 * <pre>
 *   g = ∇L(θ_old);   x ≈ (F + c I)^{-1} (−g)  by {@code cgIterations} of CG,  F = ∇²_θ K(θ_old, θ)|θ_old
 *   s = β x,  β = √(2 δ / xᵀ(F + c I)x)      (so ½ sᵀ(F + c I)s = δ = maxKl)
 *   for k = 0 .. maxHalvings:  θ_k = θ_old + 2^{-k} s
 *      accept θ_k if  L(θ_old) − L(θ_k) &gt; 0,  (L(θ_old) − L(θ_k)) / (−2^{-k} gᵀs) &gt; acceptRatio,
 *                   and K(θ_old, θ_k) = mean_s KL(π_old(·|s) ‖ π_θk(·|s)) ≤ maxKl
 * </pre>
 *
 * K is averaged over the given (PRE) observations. If no candidate is accepted, θ_old is returned
 * unchanged. Every Fisher-vector product and every candidate's K use the same θ_old and states, so the
 * step {@linkplain DiagonalGaussianKl#anchor anchors} its {@link DiagonalGaussianKl} once: the network's
 * forward activations at θ_old are computed once per step (when they fit in its cache), not once per
 * product and candidate. Holds workspaces: not thread-safe.
 */
public final class TrpoStep {

    /**
     * @param maxKl        δ, the trust-region radius in mean KL (0.01 velocity tasks, 0.03 direction tasks)
     * @param cgIterations CG iterations for the natural direction (10)
     * @param cgDamping    c ≥ 0 added to the Fisher (Tikhonov), keeping CG well posed where F is singular
     * @param maxHalvings  at most this many halvings of the full step (10), i.e. maxHalvings + 1 candidates
     * @param acceptRatio  minimum actual/expected improvement (0.1)
     */
    public record Config(double maxKl, int cgIterations, double cgDamping, int maxHalvings, double acceptRatio) {
        public Config {
            if (!(maxKl > 0) || !Double.isFinite(maxKl)) {
                throw new IllegalArgumentException("maxKl must be positive and finite, got " + maxKl);
            }
            if (cgIterations <= 0) {
                throw new IllegalArgumentException("cgIterations must be positive, got " + cgIterations);
            }
            if (!(cgDamping >= 0) || !Double.isFinite(cgDamping)) {
                throw new IllegalArgumentException("cgDamping must be ≥ 0 and finite, got " + cgDamping);
            }
            if (maxHalvings < 0) {
                throw new IllegalArgumentException("maxHalvings must be ≥ 0, got " + maxHalvings);
            }
            if (!(acceptRatio >= 0) || !Double.isFinite(acceptRatio)) {
                throw new IllegalArgumentException("acceptRatio must be ≥ 0 and finite, got " + acceptRatio);
            }
        }

        /** The spec's settings: 10 CG iterations, damping 1e-5, 10 halvings, ratio 0.1. */
        public static Config defaults(double maxKl) {
            return new Config(maxKl, 10, 1e-5, 10, 0.1);
        }
    }

    /**
     * @param theta               the new parameters (a copy of θ_old when not accepted)
     * @param accepted            whether a candidate passed the line search
     * @param kl                  K(θ_old, θ) of the returned θ
     * @param improvement         L(θ_old) − L(θ) of the returned θ
     * @param expectedImprovement −gᵀ(θ − θ_old), the linear prediction, of the returned θ
     * @param halvings            the k of the accepted candidate (maxHalvings when none was accepted)
     * @param cgResidual          ‖(F + cI)x + g‖₂ at the end of CG
     */
    public record Result(double[] theta, boolean accepted, double kl, double improvement, double expectedImprovement,
                         int halvings, double cgResidual) {
    }

    private final GaussianMlpPolicy policy;
    private final DiagonalGaussianKl kl;
    private final Config config;
    private final double[] grad;
    private final double[] fv;
    private final double[] candidate;

    public TrpoStep(GaussianMlpPolicy policy, Config config) {
        this.policy = policy.copy();
        this.kl = new DiagonalGaussianKl(policy);
        this.config = config;
        int d = policy.parameterCount();
        this.grad = new double[d];
        this.fv = new double[d];
        this.candidate = new double[d];
    }

    /** One step from θ_old on the loss, with the KL measured on {@code obs} (n × obsDim). */
    public Result step(double[] thetaOld, double[] obs, int n, ScalarObjective loss) {
        policy.checkTheta(thetaOld);
        policy.checkBatch(obs, n);
        int d = thetaOld.length;
        double lossOld = loss.value(thetaOld);
        loss.gradient(thetaOld, grad);
        double[] negGrad = new double[d];
        for (int i = 0; i < d; i++) {
            negGrad[i] = -grad[i];
        }
        double damping = config.cgDamping();
        kl.anchor(thetaOld, obs, n);
        LinearOperator fisher = (v, out) -> {
            kl.anchoredFisherVectorProduct(v, out);
            for (int i = 0; i < d; i++) {
                out[i] += damping * v[i];
            }
        };
        ConjugateGradient.Result cg = ConjugateGradient.solve(fisher, negGrad, config.cgIterations(), 0);
        double[] x = cg.x();
        fisher.apply(x, fv);
        double xFx = ConjugateGradient.dot(x, fv);
        double expectedFull = 0;
        double beta = xFx > 0 ? Math.sqrt(2 * config.maxKl() / xFx) : 0;
        for (int i = 0; i < d; i++) {
            expectedFull -= grad[i] * beta * x[i];
        }
        if (!(beta > 0) || !(expectedFull > 0) || !Double.isFinite(expectedFull)) {
            return new Result(thetaOld.clone(), false, 0, 0, 0, config.maxHalvings(), cg.residualNorm());
        }
        double frac = 1;
        for (int k = 0; k <= config.maxHalvings(); k++, frac *= 0.5) {
            for (int i = 0; i < d; i++) {
                candidate[i] = thetaOld[i] + frac * beta * x[i];
            }
            double improvement = lossOld - loss.value(candidate);
            double expected = frac * expectedFull;
            double klNew = kl.anchoredValue(candidate);
            if (improvement > 0 && improvement / expected > config.acceptRatio() && klNew <= config.maxKl()) {
                return new Result(candidate.clone(), true, klNew, improvement, expected, k, cg.residualNorm());
            }
        }
        return new Result(thetaOld.clone(), false, 0, 0, 0, config.maxHalvings(), cg.residualNorm());
    }
}
