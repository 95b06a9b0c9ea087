package io.metastream.core.adapt;

/**
 * The constrained within-task problem: maximise the surrogate subject to D(θ, φ) ≤ δ
 * (BOMRL.md; with the KL this is TRPO's subproblem).
 *
 * <p>For a multiplier μ > 0 the Lagrangian's minimiser is the penalised solution with λ = μ, and
 * D(θ*(μ)) decreases in μ, so μ* is bracketed by factors of 4 from μ = 1 and then found by
 * bisection on log μ until D = δ to machine precision. For the softmax policy the surrogate's
 * supremum is approached only by a deterministic policy, so the constraint is active whenever
 * some weighted state has a non-zero advantage; if none has, θ* = φ and the constraint is
 * inactive (μ = 0).
 */
public final class ConstrainedAdaptation {

    private static final double MU_MIN = 1e-6;
    private static final double MU_MAX = 1e12;

    private ConstrainedAdaptation() {
    }

    /**
     * The solution and its multiplier.
     *
     * @param problem the lower level with λ replaced by the multiplier μ* (when active)
     */
    public record Result(double[] theta, double multiplier, boolean active, double divergence,
                         TabularLowerLevel problem, double delta) {
    }

    /** Solves with the problem's λ ignored, subject to D ≤ {@code delta}. */
    public static Result solve(TabularLowerLevel problem, double delta) {
        if (!(delta > 0) || !Double.isFinite(delta)) {
            throw new IllegalArgumentException("constraint delta must be positive and finite, got " + delta);
        }
        if (!anyAdvantage(problem)) {
            return new Result(problem.phi(), 0, false, 0, problem, delta);
        }
        double lo = 1;
        double hi = 1;
        while (divergenceAt(problem, lo) < delta) {
            lo /= 4;
            if (lo < MU_MIN) {
                throw new IllegalArgumentException("constraint delta=" + delta + " is never binding: even the near-greedy "
                        + "policy (mu=" + lo + ") stays within it; choose a smaller delta or the penalised form");
            }
        }
        while (divergenceAt(problem, hi) > delta) {
            hi *= 4;
            if (hi > MU_MAX) {
                throw new ArithmeticException("could not bracket the multiplier for delta=" + delta);
            }
        }
        double logLo = Math.log(lo);
        double logHi = Math.log(hi);
        for (int it = 0; it < 200; it++) {
            double mid = 0.5 * (logLo + logHi);
            if (mid <= logLo || mid >= logHi) {
                break;
            }
            if (divergenceAt(problem, Math.exp(mid)) > delta) {
                logLo = mid;
            } else {
                logHi = mid;
            }
        }
        double mu = Math.exp(0.5 * (logLo + logHi));
        TabularLowerLevel at = problem.withLambda(mu);
        double[] theta = TabularAdaptation.solve(at);
        return new Result(theta, mu, true, TabularAdaptation.divergence(at, theta), at, delta);
    }

    private static boolean anyAdvantage(TabularLowerLevel pr) {
        for (int s = 0; s < pr.nS(); s++) {
            if (pr.surrogateWeight(s) == 0 || pr.divergenceWeight(s) == 0) {
                continue;
            }
            StateObjective g = pr.state(s);
            double[] phi = pr.row(pr.phi(), s);
            for (double v : g.gradient(phi)) {
                if (v != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static double divergenceAt(TabularLowerLevel problem, double mu) {
        TabularLowerLevel at = problem.withLambda(mu);
        return TabularAdaptation.divergence(at, TabularAdaptation.solve(at));
    }
}
