package io.metastream.core.hypergrad;

import io.metastream.core.adapt.StateObjective;
import io.metastream.core.adapt.TabularLowerLevel;
import io.metastream.core.exact.ExactSensitivity;
import io.metastream.core.linalg.Dense;

/**
 * The implicit-differentiation hypergradient of the penalised lower level (BOMRL.md):
 *
 * <pre>
 *   E_s(θ_s, φ) = ∇_θ G_s = 0 at θ*  ⇒  dθ* /dφ = −H⁻¹ ∂E/∂φ,   H = blockdiag(∇²G_s)
 *   ∇_φ J(θ*(φ)) = −(∂E/∂φ)ᵀ x,   H x = g
 * </pre>
 *
 * Tabular sizes allow exact Hessians and direct solves; the softmax gauge (a null direction of
 * each block for the KL proximities) is removed by solving with H_s + 11ᵀ, which leaves the
 * solution orthogonal to 1 unchanged because g ⊥ 1 per state (the block is positive definite at
 * a strict minimum; where π_θ* is numerically deterministic the solve adds the smallest shift that
 * makes it so). ∂E/∂φ holds the direct term
 * (π_φ in D) and, when {@link TabularSolvedLevel#sensitivity()} is given, the terms through
 * Q^{π_φ} and (ALG3) ν^{π_φ}: the full derivative of F(φ).
 */
public final class TabularImplicitHypergradient implements Hypergradient<TabularSolvedLevel> {

    @Override
    public double[] metaGradient(TabularSolvedLevel solved, double[] outerGradient) {
        TabularLowerLevel pr = solved.problem();
        int nA = pr.nA();
        double[] x = new double[pr.nS() * nA];
        for (int s = 0; s < pr.nS(); s++) {
            StateObjective g = pr.state(s);
            double[] h = g.hessian(pr.row(solved.theta(), s));
            if (g.proximity().shiftInvariant()) {
                for (int i = 0; i < h.length; i++) {
                    h[i] += 1.0;
                }
            }
            double[] xs = Dense.solveShiftedSpd(h, nA, pr.row(outerGradient, s));
            System.arraycopy(xs, 0, x, s * nA, nA);
        }
        double[] grad = new double[x.length];
        subtractMixedTranspose(solved, x, grad);
        return grad;
    }

    /** grad −= (∂E/∂φ)ᵀ x, where E stacks every state's ∇_θ G_s. */
    static void subtractMixedTranspose(TabularSolvedLevel solved, double[] x, double[] grad) {
        TabularLowerLevel pr = solved.problem();
        int nA = pr.nA();
        int n = pr.nS() * nA;
        ExactSensitivity sens = solved.sensitivity();
        double[] yq = new double[n];
        double[] yw = new double[pr.nS()];
        for (int s = 0; s < pr.nS(); s++) {
            StateObjective g = pr.state(s);
            double[] ts = pr.row(solved.theta(), s);
            double[] xs = pr.row(x, s);
            double[] direct = Dense.transposeTimes(g.mixedPhi(ts), nA, nA, xs);
            for (int c = 0; c < nA; c++) {
                grad[s * nA + c] -= direct[c];
            }
            if (sens != null) {
                double[] viaQ = Dense.transposeTimes(g.mixedQ(ts), nA, nA, xs);
                System.arraycopy(viaQ, 0, yq, s * nA, nA);
                yw[s] = Dense.dot(g.mixedWeight(ts), xs);
            }
        }
        if (sens != null) {
            double[] viaQ = Dense.transposeTimes(sens.dQ(), n, n, yq);
            for (int j = 0; j < n; j++) {
                grad[j] -= viaQ[j];
            }
            if (pr.alg().surrogateWeightedByVisitation()) {
                double[] viaNu = Dense.transposeTimes(sens.dNu(), pr.nS(), n, yw);
                for (int j = 0; j < n; j++) {
                    grad[j] -= viaNu[j];
                }
            }
        }
    }
}
