package io.metastream.core.continuous;

/**
 * The per-task hypergradient by implicit differentiation (BOMRL.md §Hypergradient, practical
 * estimator). With G(θ, φ) = L_low(θ; φ) and θ* its (approximate) minimiser on the PRE batch:
 *
 * <pre>
 *   H = ∇²_θθ L_low(θ*) + c I          (D and the surrogate/λ; exact products, forward-over-reverse)
 *   x ≈ H⁻¹ g,  g = postLossGradient = −∇̂_θ J_τ(θ*)     (cgIterations of CG from x = 0)
 *   metaGradient = ∇_φ[ −x · ∇_θ D(θ*, φ) ] = −∇²_φθ D(θ*, φ) x     (exact mixed derivative)
 * </pre>
 *
 * This is dℓ/dφ = (∂θ*∕∂φ)ᵀ g with ∂θ*∕∂φ = −H⁻¹ ∇²_θφ G under the authors' simplification that the
 * data, Â and the ratio denominators π_φ do not move with φ (so ∇²_θφ G = ∇²_θφ D). metaGradient is
 * the gradient of the meta-LOSS −F: descend it.
 *
 * <p>Where H is not positive definite along a CG direction (possible away from the minimum or for
 * small λ), CG stops there and returns its current iterate (truncated CG; x = 0 if the first direction
 * fails); the residual reported then stays large. Cost: cgIterations + 1 Hessian-vector products (two
 * gradient passes each) and one mixed product (two forward passes, a forward-mode and a reverse pass). Not thread-safe (uses the lower level's workspaces).
 */
public final class ContinuousHypergradient {

    /**
     * @param metaGradient ∇_φ of the meta-loss for this task
     * @param cgSolution   x ≈ H⁻¹ g
     * @param cgResidual   ‖g − (H + cI) x‖₂, recomputed with one more Hessian-vector product (CG's own
     *                     recurrence drifts from the true residual once the finite-difference noise floor is reached)
     */
    public record Result(double[] metaGradient, double[] cgSolution, double cgResidual) {
    }

    private final ContinuousLowerLevel lowerLevel;
    private final HypergradientConfig config;

    public ContinuousHypergradient(ContinuousLowerLevel lowerLevel, HypergradientConfig config) {
        if (lowerLevel == null || config == null) {
            throw new IllegalArgumentException("lowerLevel and config must not be null");
        }
        this.lowerLevel = lowerLevel;
        this.config = config;
    }

    public HypergradientConfig config() {
        return config;
    }

    /** The task's meta-gradient at prior φ, adapted θ (= θ*), PRE batch and POST loss gradient g. */
    public Result compute(double[] phi, double[] theta, ContinuousBatch pre, double[] postLossGradient) {
        lowerLevel.check(theta, phi, pre);
        if (postLossGradient.length != theta.length) {
            throw new IllegalArgumentException("expected postLossGradient of length " + theta.length + ", got "
                    + postLossGradient.length);
        }
        for (int i = 0; i < postLossGradient.length; i++) {
            if (!Double.isFinite(postLossGradient[i])) {
                throw new IllegalArgumentException("postLossGradient[" + i + "] is not finite: " + postLossGradient[i]);
            }
        }
        int d = theta.length;
        double damping = config.cgDamping();
        LinearOperator hessian = lowerLevel.hessianOperator(theta, phi, pre);
        LinearOperator damped = (v, out) -> {
            hessian.apply(v, out);
            for (int i = 0; i < d; i++) {
                out[i] += damping * v[i];
            }
        };
        ConjugateGradient.Result cg = ConjugateGradient.solve(damped, postLossGradient, config.cgIterations(), 0, true);
        double[] residual = new double[d];
        damped.apply(cg.x(), residual);
        for (int i = 0; i < d; i++) {
            residual[i] = postLossGradient[i] - residual[i];
        }
        double residualNorm = Math.sqrt(ConjugateGradient.dot(residual, residual));
        double[] mixed = new double[d];
        lowerLevel.proximityMixedProduct(theta, phi, pre, cg.x(), mixed);
        for (int i = 0; i < d; i++) {
            mixed[i] = -mixed[i];
        }
        return new Result(mixed, cg.x(), residualNorm);
    }
}
