package io.metastream.core.continuous;

/**
 * Conjugate gradients for A x = b with A symmetric positive definite, given only v ↦ A v
 * (Hestenes–Stiefel, x₀ = 0):
 *
 * <pre>
 *   r₀ = p₀ = b;  α_k = r_kᵀr_k / p_kᵀA p_k;  x_{k+1} = x_k + α_k p_k;  r_{k+1} = r_k − α_k A p_k
 *   β_k = r_{k+1}ᵀr_{k+1} / r_kᵀr_k;  p_{k+1} = r_{k+1} + β_k p_k
 * </pre>
 *
 * Stops after {@code iterations} steps or when ‖r‖₂ ≤ tolerance. Used with 10 iterations for the
 * hypergradient solve and the TRPO natural direction (BOMRL.md §Hypergradient, §Meta-update).
 */
public final class ConjugateGradient {

    private ConjugateGradient() {
    }

    /**
     * @param x             the approximate solution
     * @param residualNorm  ‖b − A x‖₂ as tracked by the recurrence (equals the true residual up to rounding)
     * @param iterations    the number of A-products used
     */
    public record Result(double[] x, double residualNorm, int iterations) {
    }

    /** Approximately solves A x = b; throws if A is found not positive definite along a search direction. */
    public static Result solve(LinearOperator a, double[] b, int iterations, double tolerance) {
        return solve(a, b, iterations, tolerance, false);
    }

    /**
     * As {@link #solve(LinearOperator, double[], int, double)}, but with {@code truncateOnNegativeCurvature}
     * a search direction with pᵀAp ≤ 0 ends the iteration and the current iterate is returned (truncated
     * CG, as in Steihaug's method; {@link Result#iterations()} then counts the completed steps, and x = 0
     * if the first direction already fails) instead of throwing. For operators that may be indefinite,
     * such as the lower level's Hessian away from its minimum.
     */
    public static Result solve(LinearOperator a, double[] b, int iterations, double tolerance,
                               boolean truncateOnNegativeCurvature) {
        if (iterations < 0 || !(tolerance >= 0)) {
            throw new IllegalArgumentException("need iterations ≥ 0 and tolerance ≥ 0, got " + iterations + ", " + tolerance);
        }
        int n = b.length;
        double[] x = new double[n];
        double[] r = b.clone();
        double[] p = b.clone();
        double[] ap = new double[n];
        double rr = dot(r, r);
        int k = 0;
        while (k < iterations && Math.sqrt(rr) > tolerance) {
            a.apply(p, ap);
            double pAp = dot(p, ap);
            if (!(pAp > 0)) {
                if (truncateOnNegativeCurvature) {
                    break;
                }
                throw new ArithmeticException("operator is not positive definite: pᵀAp = " + pAp + " at iteration " + k);
            }
            double alpha = rr / pAp;
            for (int i = 0; i < n; i++) {
                x[i] += alpha * p[i];
                r[i] -= alpha * ap[i];
            }
            double rrNew = dot(r, r);
            double beta = rrNew / rr;
            for (int i = 0; i < n; i++) {
                p[i] = r[i] + beta * p[i];
            }
            rr = rrNew;
            k++;
        }
        return new Result(x, Math.sqrt(rr), k);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
