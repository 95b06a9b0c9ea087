package io.metastream.core.hypergrad;

import io.metastream.core.adapt.StateObjective;
import io.metastream.core.adapt.TabularLowerLevel;
import io.metastream.core.exact.ExactSensitivity;
import io.metastream.core.linalg.Dense;

/**
 * The hypergradient of the KL- (or Euclidean-) constrained lower level with an active
 * constraint, by differentiating its KKT system (BOMRL.md). Unknowns (θ, μ); equations
 *
 * <pre>
 *   E_s = −(w_s/μ) ∇S_s(θ_s) + ∇_θ D_s(θ_s, φ_s) = 0   (each state; the Lagrangian's stationarity)
 *   c   = Σ_s c_s D_s(θ_s, φ_s) − δ = 0              (the active constraint)
 * </pre>
 *
 * With K = ∂(E, c)/∂(θ, μ), solve Kᵀ (x, y) = (g, 0) and return −(∂E/∂φ)ᵀ x − (∂c/∂φ)ᵀ y. The
 * gauge is removed as in {@link TabularImplicitHypergradient}; a relative 1e-12 Tikhonov term
 * on the θθ block covers states where π_θ* is numerically deterministic. An inactive constraint (μ = 0,
 * θ* = φ) has dθ* /dφ = I.
 */
public final class TabularKktHypergradient implements Hypergradient<TabularSolvedLevel> {

    @Override
    public double[] metaGradient(TabularSolvedLevel solved, double[] outerGradient) {
        if (!solved.constrained()) {
            throw new IllegalArgumentException("the KKT hypergradient needs a constrained solve (delta is NaN)");
        }
        TabularLowerLevel pr = solved.problem();
        int nA = pr.nA();
        int n = pr.nS() * nA;
        int m = n + 1;
        double[] k = new double[m * m];
        for (int s = 0; s < pr.nS(); s++) {
            StateObjective g = pr.state(s);
            double[] ts = pr.row(solved.theta(), s);
            double[] h = g.hessian(ts);
            boolean gauge = g.proximity().shiftInvariant();
            double[] dMu = g.mixedLambda(ts);
            double[] dD = g.divergenceGradTheta(ts);
            double cs = pr.divergenceWeight(s);
            for (int b = 0; b < nA; b++) {
                int row = s * nA + b;
                for (int c = 0; c < nA; c++) {
                    k[row * m + s * nA + c] = h[b * nA + c] + (gauge ? 1.0 : 0.0);
                }
                k[row * m + n] = dMu[b];
                k[n * m + row] = cs * dD[b];
            }
        }
        // States where π_θ* is numerically deterministic have H_s ≈ 0 (and g_s ≈ 0): a relative
        // 1e-12 Tikhonov term keeps the system solvable without moving well-posed solutions.
        double scale = 0;
        for (double v : k) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < n; i++) {
            k[i * m + i] += 1e-12 * scale;
        }
        double[] rhs = new double[m];
        System.arraycopy(outerGradient, 0, rhs, 0, n);
        double[] z = Dense.solve(Dense.transpose(k, m, m), m, rhs);
        double[] x = new double[n];
        System.arraycopy(z, 0, x, 0, n);
        double y = z[n];

        double[] grad = new double[n];
        TabularImplicitHypergradient.subtractMixedTranspose(solved, x, grad);
        ExactSensitivity sens = solved.sensitivity();
        double[] dStates = new double[pr.nS()];
        for (int s = 0; s < pr.nS(); s++) {
            StateObjective g = pr.state(s);
            double[] ts = pr.row(solved.theta(), s);
            double[] dPhi = g.divergenceGradPhi(ts);
            double cs = pr.divergenceWeight(s);
            for (int c = 0; c < nA; c++) {
                grad[s * nA + c] -= y * cs * dPhi[c];
            }
            dStates[s] = g.divergence(ts);
        }
        if (sens != null && !pr.alg().surrogateWeightedByVisitation()) {
            double[] viaNu = Dense.transposeTimes(sens.dNu(), pr.nS(), n, dStates);
            for (int j = 0; j < n; j++) {
                grad[j] -= y * viaNu[j];
            }
        }
        return grad;
    }
}
